/** Generated docs are current (regenerate with `npm run docs`). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { diagnosticsDoc, grammarHtml, referenceDoc } from "../../scripts/gen-docs.js";
import { seer } from "../helpers/cli.js";
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

/** The README tour's commands (`$ npx seer ...` lines) with the output shown under them. */
function tour(): { command: string; output: string }[] {
  const m = /## A 30-second tour\n\n```sh\n([\s\S]*?)```/.exec(readFileSync(path.join(ROOT, "README.md"), "utf8"));
  assert.ok(m, "README.md has the tour");
  return m[1]!.split(/^\$ /m).filter((x) => x.trim() !== "").map((x) => {
    const [command = "", ...output] = x.split("\n");
    return { command: command.replace(/\s+#.*$/, ""), output: output.join("\n").trimEnd() };
  });
}

test("the README tour names only files inside the repository, all present (a fresh clone runs it)", () => {
  const files = tour().flatMap((c) => c.command.split(/\s+/)).filter((w) => /(\.(seer|ya?ml|json)|\/)$/.test(w) && !w.includes("<"));
  assert.ok(files.length >= 5, `the tour names files: ${files.join(" ")}`);
  for (const f of files) {
    const abs = path.resolve(ROOT, f);
    assert.ok(!path.relative(ROOT, abs).startsWith(".."), `README tour: ${f} is outside the repository`);
    assert.ok(existsSync(abs), `README tour: ${f} does not exist`);
  }
});

test("the README tour's commands shown with their output print exactly that output", () => {
  const shown = tour().filter((c) => c.output !== "");
  assert.ok(shown.length >= 2, "the tour shows some output");
  for (const { command, output } of shown) {
    assert.match(command, /^npx seer /);
    const r = seer(command.replace(/^npx seer /, "").split(/\s+/), { cwd: ROOT });
    assert.equal(`${r.stdout}${r.stderr}`.trimEnd(), output, `README tour: the output of \`${command}\``);
  }
});
