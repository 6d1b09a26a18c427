/** The shared acceptance corpus: examples check clean and format idempotently; errors land where their first comment says. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { parseSource } from "../../grammar/parse.js";
import { printFile } from "../../grammar/print.js";
import { SHARED } from "../helpers/paths.js";
import { withoutSpans } from "../helpers/ast.js";

const EXAMPLES = path.join(SHARED, "spec", "examples");
const ERRORS = path.join(SHARED, "spec", "errors");
const seerFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".seer")).sort();

for (const f of seerFiles(EXAMPLES)) {
  test(`example ${f} checks clean`, () => {
    const c = compile([f], { cwd: EXAMPLES });
    assert.deepEqual(c.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  });

  test(`example ${f}: fmt is idempotent, keeps the AST and still checks clean`, () => {
    const text = readFileSync(path.join(EXAMPLES, f), "utf8");
    const once = printFile(parseSource(f, text).ast, text);
    const parsedOnce = parseSource(f, once);
    assert.deepEqual(parsedOnce.diagnostics, []);
    const twice = printFile(parsedOnce.ast, once);
    assert.equal(twice, once);
    assert.deepEqual(withoutSpans(parsedOnce.ast), withoutSpans(parseSource(f, text).ast));
    const sources = new Map([[path.join(EXAMPLES, f), once]]);
    const c = compile([f], { cwd: EXAMPLES, sources });
    assert.deepEqual(c.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  });
}

/** `// expect: error at L:C (...) AND error at L:C (...)` */
function expectations(text: string): { line: number; column: number; about: string }[] {
  const first = text.split("\n")[0] ?? "";
  return [...first.matchAll(/error at (\d+):(\d+) \(([^)]*(?:\([^)]*\)[^)]*)*)\)/g)].map((m) => ({ line: Number(m[1]), column: Number(m[2]), about: m[3] ?? "" }));
}

for (const f of seerFiles(ERRORS)) {
  test(`error case ${f} is reported where its first comment says`, () => {
    const text = readFileSync(path.join(ERRORS, f), "utf8");
    const expected = expectations(text);
    assert.ok(expected.length > 0, "the first comment names a position");
    const c = compile([f], { cwd: ERRORS });
    const errors = c.diagnostics.filter((d) => d.severity === "error" && d.span.file === f);
    const at = errors.map((d) => {
      const p = c.program.files.get(d.span.file)!.positionAt(d.span.start);
      return `${p.line}:${p.column}`;
    });
    for (const e of expected) assert.ok(at.includes(`${e.line}:${e.column}`), `expected an error at ${e.line}:${e.column} (${e.about}); got ${at.join(", ")}`);
    assert.equal(errors.length, expected.length, `exactly the expected errors: ${errors.map((d) => d.message).join(" | ")}`);
  });
}

test("the unknown-field case suggests `temperature` and offers a fix", () => {
  const c = compile(["unknown-field.seer"], { cwd: ERRORS });
  const d = c.diagnostics.find((x) => x.code === "SEER3001");
  assert.ok(d);
  assert.match(d.help ?? "", /`temperature`/);
  assert.equal(d.fixes?.[0]?.edits[0]?.text, "temperature");
});

test("syntax recovery keeps the declarations after the errors", () => {
  const text = readFileSync(path.join(ERRORS, "syntax-recovery.seer"), "utf8");
  const r = parseSource("syntax-recovery.seer", text);
  const names = r.ast.items.map((i) => (i.kind === "decl" ? i.name.name : i.kind));
  assert.deepEqual(names, ["d", "m", "n", "e"]);
});
