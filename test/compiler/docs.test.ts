/** Generated docs are current (regenerate with `npm run docs`). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { diagnosticsDoc, grammarHtml, referenceDoc } from "../../scripts/gen-docs.js";
import { ROOT } from "../helpers/paths.js";

const current = (f: string) => readFileSync(path.join(ROOT, "docs", f), "utf8");

test("docs/diagnostics.md matches the catalog", () => assert.equal(current("diagnostics.md"), diagnosticsDoc(), "run npm run docs"));
test("docs/reference.md matches the constructor definitions", () => assert.equal(current("reference.md"), referenceDoc(), "run npm run docs"));
test("docs/grammar.html matches the parser", () => assert.equal(current("grammar.html"), grammarHtml(), "run npm run docs"));

/** The first ```seer block of a Markdown file. */
function firstSeerBlock(file: string): string {
  const m = /```seer\n([\s\S]*?)```/.exec(readFileSync(path.join(ROOT, file), "utf8"));
  assert.ok(m, `${file} has a seer example`);
  return m[1]!;
}

for (const doc of ["README.md", "docs/language.md"]) {
  test(`the recipe example in ${doc} checks clean`, async () => {
    const { compile } = await import("../../compiler/compile.js");
    const abs = path.join(ROOT, "recipes", "__doc_example__.seer");
    const c = compile([abs], { cwd: ROOT, sources: new Map([[abs, firstSeerBlock(doc)]]) });
    assert.deepEqual(c.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  });
}
