/** Golden diagnostics: every fixture's text and JSON output is checked in. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { assertGolden } from "../helpers/golden.js";
import { diagnose, setArgs } from "../helpers/diagnose.js";
import { FIXTURES } from "../helpers/paths.js";

const DIR = path.join(FIXTURES, "diagnostics");

export function fixtureFiles(): string[] {
  const out: string[] = [];
  for (const area of readdirSync(DIR).sort()) {
    for (const f of readdirSync(path.join(DIR, area)).sort()) if (f.endsWith(".seer")) out.push(`${area}/${f}`);
  }
  return out;
}

for (const rel of fixtureFiles()) {
  test(`golden ${rel}`, () => {
    const { c, text, json } = diagnose(DIR, rel, setArgs(path.join(DIR, rel)));
    assert.ok(c.diagnostics.length > 0, "a diagnostics fixture must produce at least one diagnostic");
    const base = path.join(DIR, rel.replace(/\.seer$/, ""));
    assertGolden(`${base}.stderr.txt`, text);
    assertGolden(`${base}.json`, json);
  });
}
