/** Lowering to the execution graph: goldens, schema, determinism, change propagation. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { compile } from "../../compiler/compile.js";
import type { ExecGraph } from "../../contract/graph.js";
import { GRAPH_SCHEMA } from "../../contract/schema.js";
import { sortedPretty } from "../../core/json.js";
import { lowerRecipe } from "../../compiler/lower/lower.js";
import { toDot, toMermaid } from "../../compiler/lower/render-graph.js";
import { assertGolden } from "../helpers/golden.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const VERSION = "0.0.0-test";
const validate = new Ajv({ allErrors: true, strict: false }).compile(GRAPH_SCHEMA);

function graphOf(file: string, overrides: string[] = [], text?: string): ExecGraph {
  const abs = path.join(ROOT, file);
  const c = compile([file], { cwd: ROOT, overrides: overrides.map((t) => ({ text: t })), ...(text ? { sources: new Map([[abs, text]]) } : {}) });
  assert.deepEqual(c.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  return lowerRecipe(c, c.program.roots[0]!, VERSION);
}

for (const recipe of ["quickstart", "seer-10b", "swav-regnety-4gf"]) {
  test(`graph golden: recipes/${recipe}.seer (valid against the graph schema)`, () => {
    const g = graphOf(`recipes/${recipe}.seer`);
    assert.ok(validate(g), JSON.stringify(validate.errors));
    assertGolden(path.join(FIXTURES, "compile", `${recipe}.graph.json`), `${sortedPretty(g)}\n`);
    const names = new Set(g.stages.map((s) => s.name));
    for (const s of g.stages) for (const i of s.inputs) assert.ok(names.has(i), `${s.name} reads missing ${i}`);
  });
}

test("lowering is deterministic and ids are content hashes", () => {
  const a = graphOf("recipes/quickstart.seer");
  const b = graphOf("recipes/quickstart.seer");
  assert.equal(sortedPretty(a), sortedPretty(b));
  assert.equal(new Set(a.stages.map((s) => s.id)).size, a.stages.length, "no two stages share an id");
  assert.equal(a.stages.length, 27);
});

const idsByName = (g: ExecGraph) => new Map(g.stages.map((s) => [s.name, s.id]));
function changed(a: ExecGraph, b: ExecGraph): string[] {
  const ia = idsByName(a);
  return b.stages.filter((s) => ia.get(s.name) !== s.id).map((s) => s.name).sort();
}

test("changing one eval field changes only that eval's stages and the report", () => {
  const base = graphOf("recipes/quickstart.seer");
  const text = (readRecipe("recipes/quickstart.seer")).replace("k     = 20", "k     = 10");
  const edited = graphOf("recipes/quickstart.seer", [], text);
  assert.deepEqual(changed(base, edited), ["eval/quickstart/random_init(tiny).pool/neighbours", "eval/quickstart/random_init(tiny_std).pool/neighbours", "eval/quickstart/swav_tiny.pool/neighbours", "report/summary"]);
});

test("changing the pretraining length changes it and everything downstream, not the random-init rows", () => {
  const base = graphOf("recipes/quickstart.seer");
  const longer = graphOf("recipes/quickstart.seer", ["pretrain_epochs=8"]);
  const diff = changed(base, longer);
  assert.ok(diff.includes("pretrain/swav_tiny") && diff.includes("features/swav_tiny.pool/shapes.train") && diff.includes("report/summary"));
  assert.ok(!diff.some((n) => n.includes("random_init") || n.startsWith("data/")), diff.join(", "));
});

test("dot and mermaid renderings name every stage and edge", () => {
  const g = graphOf("recipes/quickstart.seer");
  const dot = toDot(g);
  const mermaid = toMermaid(g);
  const edges = g.stages.reduce((n, s) => n + s.inputs.length, 0);
  assert.equal((dot.match(/ -> /g) ?? []).length, edges);
  assert.equal((mermaid.match(/ --> /g) ?? []).length, edges);
  for (const s of g.stages) assert.ok(dot.includes(JSON.stringify(s.name)) && mermaid.includes(s.name), s.name);
});

function readRecipe(file: string): string {
  return readFileSync(path.join(ROOT, file), "utf8");
}
