/**
 * The compiler/runtime contract: the committed JSON Schema is the one the types build, every
 * recipe's graph validates against it, and specs hold resolved base units only.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { compile } from "../../compiler/compile.js";
import { lowerRecipe } from "../../compiler/lower/lower.js";
import { GRAPH_VERSION, isKind, type ExecGraph } from "../../contract/graph.js";
import { evalKindOf, STAGE_KIND_NAMES } from "../../contract/kinds.js";
import { schemaFileText } from "../../contract/schema.js";
import { ContractError, parseStage } from "../../contract/validate.js";
import { ROOT } from "../helpers/paths.js";

const SCHEMA_FILE = path.join(ROOT, "contract", "graph.schema.json");

test("contract/graph.schema.json is the schema contract/schema.ts builds (UPDATE_GOLDEN=1 rewrites it)", () => {
  const text = schemaFileText();
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(SCHEMA_FILE, text);
  assert.equal(readFileSync(SCHEMA_FILE, "utf8"), text, "the committed schema is stale: run the tests with UPDATE_GOLDEN=1");
});

/** Every recipe the project ships or tests that checks clean. */
function recipes(): string[] {
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => {
    const p = path.join(d, f);
    return statSync(p).isDirectory() ? walk(p) : f.endsWith(".seer") ? [p] : [];
  });
  return [...walk(path.join(ROOT, "recipes")), ...walk(path.join(ROOT, "test", "fixtures"))];
}

function graphs(): { file: string; graph: ExecGraph }[] {
  const out: { file: string; graph: ExecGraph }[] = [];
  for (const file of recipes()) {
    const c = compile([file], { cwd: ROOT });
    if (c.diagnostics.some((d) => d.severity === "error")) continue;
    out.push({ file, graph: lowerRecipe(c, c.program.roots[0]!, "0.0.0-test") });
  }
  return out;
}

test("every clean recipe's graph validates against the committed schema, read as plain JSON", () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const all = graphs();
  assert.ok(all.length >= 5, `only ${all.length} recipes lowered`);
  const kinds = new Set<string>();
  for (const { file, graph } of all) {
    const json = JSON.parse(JSON.stringify(graph)) as unknown;
    assert.ok(validate(json), `${path.relative(ROOT, file)}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    assert.equal(graph.version, GRAPH_VERSION);
    for (const s of graph.stages) kinds.add(s.kind);
  }
  for (const k of STAGE_KIND_NAMES) assert.ok(kinds.has(k), `no recipe exercises the stage kind ${k}`);
});

test("specs hold base units: no `$ctor`, no `{ value, unit }` quantity outside durations, rates resolved", () => {
  for (const { file, graph } of graphs()) {
    const text = JSON.stringify(graph);
    assert.ok(!text.includes("$ctor"), `${file}: a checker record leaked into a spec`);
    assert.ok(!/"unit":"(px|%)"/.test(text) && !text.includes("\"per\":"), `${file}: an unresolved quantity`);
    for (const s of graph.stages) {
      if (isKind(s, "pretrain-swav")) {
        const { lr } = s.spec.optimizer;
        assert.equal(lr.resolved, lr.per_images === null ? lr.value : (lr.value * s.spec.batch) / lr.per_images, `${s.name}: the per-images rule`);
        const blocks = s.spec.model.stages.reduce((n, st) => n + st.depth, 0);
        assert.equal(blocks, s.spec.model.generator.depth, `${s.name}: the expanded stages hold every block`);
      }
    }
  }
});

test("one table of stage kinds: every eval constructor a suite can name lowers to its kind", () => {
  for (const c of ["linear_probe", "knn", "fairness", "robustness", "copy_detection"]) assert.ok(evalKindOf(c), c);
  assert.equal(evalKindOf("pca"), undefined);
});

test("a stage handed over from another process is validated against the contract", () => {
  const c = compile([path.join(ROOT, "recipes", "quickstart.seer")], { cwd: ROOT });
  const g = lowerRecipe(c, c.program.roots[0]!, "0.0.0-test");
  const pre = g.stages.find((s) => s.kind === "pretrain-swav");
  assert.ok(pre);
  const copy = JSON.parse(JSON.stringify(pre)) as { spec: Record<string, unknown> };
  assert.equal(parseStage(copy).name, "pretrain/swav_tiny");
  delete copy.spec["batch"];
  assert.throws(() => parseStage(copy, "job stage"), (e: unknown) => e instanceof ContractError && /job stage does not follow the seer stage contract: .*batch/.test(e.message));
  assert.throws(() => parseStage({ ...copy, kind: "train-vit" }), ContractError);
});
