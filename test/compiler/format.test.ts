/** `seer fmt`: goldens, idempotence and AST preservation over every .seer in the repo. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseSource } from "../../grammar/parse.js";
import { printFile } from "../../grammar/print.js";
import { assertGolden } from "../helpers/golden.js";
import { withoutSpans } from "../helpers/ast.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : f.endsWith(".seer") ? [p] : [];
  });
}

const FORMAT = path.join(FIXTURES, "format");
for (const f of readdirSync(FORMAT).filter((x) => x.endsWith(".input.seer"))) {
  test(`format golden ${f}`, () => {
    const text = readFileSync(path.join(FORMAT, f), "utf8");
    const out = printFile(parseSource(f, text).ast, text);
    assertGolden(path.join(FORMAT, f.replace(".input.seer", ".output.seer")), out);
  });
}

test("formatting keeps every comment", () => {
  const text = readFileSync(path.join(FORMAT, "comments.input.seer"), "utf8");
  const parsed = parseSource("c.seer", text);
  const out = printFile(parsed.ast, text);
  for (const c of parsed.ast.comments) assert.ok(out.includes(c.text.trimEnd()), `lost comment ${c.text}`);
});

const corpus = [...walk(path.join(ROOT, "recipes")), ...walk(path.join(FIXTURES))].filter((f) => {
  const text = readFileSync(f, "utf8");
  return parseSource(f, text).diagnostics.length === 0;
});

test(`fmt is idempotent and keeps the AST on ${corpus.length} parseable .seer files`, () => {
  for (const f of corpus) {
    const text = readFileSync(f, "utf8");
    const ast = parseSource(f, text).ast;
    const once = printFile(ast, text);
    const reparsed = parseSource(f, once);
    assert.deepEqual(reparsed.diagnostics, [], `${f}: formatted output parses`);
    assert.equal(printFile(reparsed.ast, once), once, `${f}: idempotent`);
    assert.deepEqual(withoutSpans(reparsed.ast), withoutSpans(ast), `${f}: same AST`);
    assert.equal(reparsed.ast.comments.length, ast.comments.length, `${f}: same number of comments`);
  }
});
