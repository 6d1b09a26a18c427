/**
 * The PyTorch engine reads the stage contract (engines/torch/seer_torch/spec): every stage it runs
 * in the graphs of recipes/*.seer parses; other kinds and malformed specs are refused with the
 * JSON path of the problem.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { ExecGraph, Stage } from "../../contract/graph.js";
import { ROOT, SEER_BIN } from "../helpers/paths.js";
import { needTorch, selftest } from "../helpers/torch.js";

const run = promisify(execFile);

interface SpecOut {
  stages: ({ ok: true; kind: string; type: string } | { ok: false; error: string })[];
}

async function graph(recipe: string): Promise<ExecGraph> {
  const { stdout } = await run(process.execPath, [SEER_BIN, "graph", recipe, "--format", "json"], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ExecGraph;
}

const RUNS: Record<string, string> = { "pretrain-swav": "PretrainSwavSpec", "random-init": "RandomInitSpec", "prepare-data": "SyntheticDatasetSpec" };
const runnable = (s: Stage): boolean => s.kind in RUNS && (s.kind !== "prepare-data" || s.spec.kind === "synthetic");

test("every stage of the recipes' graphs: the kinds the engine runs parse, the others are refused by name", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const recipes = readdirSync(path.join(ROOT, "recipes")).filter((f) => f.endsWith(".seer")).map((f) => path.join("recipes", f));
  const stages = (await Promise.all(recipes.map(graph))).flatMap((g) => g.stages);
  const out = await selftest<SpecOut>(py, "spec", { stages });
  let parsed = 0;
  stages.forEach((s, i) => {
    const r = out.stages[i]!;
    if (runnable(s)) {
      assert.ok(r.ok, `${s.name}: ${r.ok ? "" : r.error}`);
      assert.equal(r.type, RUNS[s.kind]);
      parsed++;
    } else {
      assert.ok(!r.ok, `${s.name} (${s.kind}) should be refused`);
      assert.match(r.error, /the torch engine does not (run|read)/, s.name);
    }
  });
  assert.ok(stages.some((s) => s.kind === "pretrain-swav" && s.spec.model.name === "regnet_10b"), "SEER-10B's pretraining is among them");
  t.diagnostic(`${parsed} of ${stages.length} stages parsed (pretrain-swav, random-init, synthetic prepare-data); the rest refused`);
});

test("malformed pretrain-swav specs: each refused with the JSON path and what was expected", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const g = await graph(path.join("recipes", "quickstart.seer"));
  const base = g.stages.find((s) => s.kind === "pretrain-swav")!;
  // The edits reach into the spec as plain JSON.
  type Json = any;
  type Edit = (spec: Json) => void;
  const cases: [Edit, RegExp][] = [
    [(s) => delete s["temperature"], /^stages\[0\]\.spec: missing field temperature$/],
    [(s) => (s["temprature"] = 0.1), /^stages\[1\]\.spec: unknown field temprature/],
    [(s) => (s["optimizer"].kind = "adam"), /^stages\[2\]\.spec\.optimizer\.kind: expected one of "lars", "sgd", got "adam"$/],
    [(s) => (s["crops"][0].size = "32"), /^stages\[3\]\.spec\.crops\[0\]\.size: expected an integer, got "32"$/],
    [(s) => (s["model"].stages = []), /^stages\[4\]\.spec\.model\.stages: expected an array of at least 1 item/],
    [(s) => (s["optimizer"].lr.per_images = 0), /^stages\[5\]\.spec\.optimizer\.lr\.per_images: expected a number > 0, got 0$/],
    [(s) => (s["schedule"].warmup.unit = "%"), /^stages\[6\]\.spec\.schedule\.warmup\.unit: expected one of "steps", "epochs", "images", "run_fraction", got "%"$/],
    [(s) => (s["head"].batch_norm = 1), /^stages\[7\]\.spec\.head\.batch_norm: expected true or false, got 1$/],
    [(s) => (s["crops"][0].scale = [0.5]), /^stages\[8\]\.spec\.crops\[0\]\.scale: expected an array of 2 numbers/],
    [(s) => (s["sinkhorn"].epsilon = 0), /^stages\[9\]\.spec\.sinkhorn\.epsilon: expected a number > 0, got 0$/],
    [(s) => (s["model"].family = "Z"), /^stages\[10\]\.spec\.model\.family: expected one of "X", "Y", got "Z"$/],
  ];
  const stages = cases.map(([edit]) => {
    const copy = JSON.parse(JSON.stringify(base)) as Stage;
    edit(copy.spec as Json);
    return copy;
  });
  stages.push({ ...JSON.parse(JSON.stringify(base)), id: "sha256:nothex" } as Stage);
  const out = await selftest<SpecOut>(py, "spec", { stages });
  cases.forEach(([, want], i) => {
    const r = out.stages[i]!;
    assert.ok(!r.ok, `case ${i} should be refused`);
    assert.match(r.error, want);
  });
  const last = out.stages[cases.length]!;
  assert.ok(!last.ok && /^stages\[11\]\.id: expected sha256: and 64 hex digits/.test(last.error), JSON.stringify(last));
});
