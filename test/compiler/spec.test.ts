/** The language's acceptance corpus (the project's copy, test/fixtures/spec/): examples check clean and format idempotently; errors land where their first comment says. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { parseSource } from "../../grammar/parse.js";
import { printFile } from "../../grammar/print.js";
import { SPEC_ERRORS as ERRORS, SPEC_EXAMPLES as EXAMPLES } from "../helpers/paths.js";
import { withoutSpans } from "../helpers/ast.js";

const seerFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".seer")).sort();

/** sha256 of each file of the corpus as copied: the copies stay byte-identical to the originals. */
const CORPUS: Record<string, string> = {
  "examples/hosts.yaml": "966aac13534c8c31684d1e4de0983fd83aba697fa72b6f4c50c7cff576974922",
  "examples/paper-evals.seer": "103bb9d307f79064f85fb1251d8fb9ebfc996a7cecbc6c4d2ebed0c8c09bd6d7",
  "examples/quickstart.seer": "eeae796972bfd9d03df77d6fcfa07e91416fd364d4643bebd395907058ad66aa",
  "examples/seer-10b.seer": "4a1e939067f2a62c9d38ab03c84c1cb54dd62e16deb996973e0aae62edd79c5e",
  "examples/swav-regnety-4gf.seer": "9c195df5148125928517558c86c0c3fa2bca600d480d932647f3442228384603",
  "errors/import-cycle-b.seer": "85b467215e92c38b937c87d2deb7430ce9bcbb2bbc97b144d35ae44e088dc1c2",
  "errors/import-cycle.seer": "e6718022e10dd567e899c624c092aa9e4c4b11f40fdd192610e3135fa0d7bd2d",
  "errors/range-out-of-bounds.seer": "d2c21a46f054529cb6fd4d9ee02261da5dcd2ee4649fc37d78446c8abda28b6e",
  "errors/regnet-group-width.seer": "26660dddccc205453da33f49e88b737bba3a889e911b8428a55d892f6d21f074",
  "errors/syntax-recovery.seer": "718c6ba659fabd5be82d071cb72a4f0c45801c9afd0088b88538dce32976024b",
  "errors/undefined-reference.seer": "9b35e83ea342c5f16541b65fb471fec7ea8e036fc82384dda763304dd0c958cf",
  "errors/unknown-field.seer": "6232a9eaae8e9c43fb78950b44e138e8dbe7569a02488dbf73941c5c9993b64e",
  "errors/wrong-unit.seer": "992d877355bc593a226d518cb307c172bbc01b1a6d12cc6f93eac452bb3c9a44",
};

test("the corpus is the unchanged copy: the same files, byte for byte (test/fixtures/spec/README.md)", () => {
  const spec = path.dirname(EXAMPLES);
  const found = ["examples", "errors"].flatMap((d) => readdirSync(path.join(spec, d)).map((f) => `${d}/${f}`)).sort();
  assert.deepEqual(found, Object.keys(CORPUS).sort(), "files added to or removed from the corpus");
  for (const [f, sha] of Object.entries(CORPUS)) {
    const actual = createHash("sha256").update(readFileSync(path.join(spec, f))).digest("hex");
    assert.equal(actual, sha, `${f} was edited: the acceptance examples stay exactly as written`);
  }
});

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
