/** The cost model (compiler/cost/model.ts) against the reference figures and its own invariants. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ExecGraph, StageOf } from "../../contract/graph.js";
import { acceleratorByName, peakFor, UTILISATION } from "../../contract/hardware.js";
import { countPretraining, deviceMemory, trainingMacsPerImage, trainingSeconds, type Layout } from "../../compiler/cost/model.js";
import { complexity, type BlockCounts } from "../../compiler/regnet/arith.js";
import { paramsOfModel } from "../../compiler/regnet/model-spec.js";
import { FIXTURES } from "../helpers/paths.js";

function pretrainOf(graph: string): StageOf<"pretrain-swav"> {
  const g = JSON.parse(readFileSync(path.join(FIXTURES, "compile", graph), "utf8")) as ExecGraph;
  return g.stages.find((s): s is StageOf<"pretrain-swav"> => s.kind === "pretrain-swav")!;
}

const layout = (s: StageOf<"pretrain-swav">, over: Partial<Layout> = {}): Layout => ({ gpus: s.resources.gpus, batch: s.spec.batch, precision: s.spec.precision, sharding: s.spec.sharding, activationCheckpointing: s.spec.activation_checkpointing, ...over });

test("RegNet-10B with SEER's head and prototypes counts 9,629M parameters (shared/reference: trunk + head 9629M)", () => {
  const s = pretrainOf("seer-10b.graph.json");
  const n = countPretraining(s.spec);
  assert.equal(Math.round(n.params / 1e6), 9629);
  // The largest layer is the last block's 1x1 conv, 28280 x 28280.
  assert.equal(n.largestLayer, 28_280 * 28_280);
});

test("per-block counts add up to the trunk's", () => {
  const s = pretrainOf("seer-10b.graph.json");
  const blocks: BlockCounts[] = [];
  const cx = complexity(paramsOfModel(s.spec.model), { inputSize: 160, classes: 0, onBlock: (b) => blocks.push(b) });
  assert.equal(blocks.length, 27);
  assert.equal(blocks.reduce((a, b) => a + b.params, 0) + cx.stem.params, cx.trunkParams);
  assert.equal(blocks.reduce((a, b) => a + b.flops, 0) + cx.stem.flops, cx.trunkFlops);
  assert.equal(blocks.reduce((a, b) => a + b.acts, 0) + cx.stem.acts, cx.trunkActs);
  assert.equal(blocks[blocks.length - 1]!.outElements, 28_280 * 5 * 5);
});

test("memory per device: sharding divides the states, checkpointing and mixed precision shrink activations, GPUs shrink the batch", () => {
  const s = pretrainOf("seer-10b.graph.json");
  const ddp = deviceMemory(s.spec, layout(s, { sharding: "none", activationCheckpointing: false }));
  const fsdp = deviceMemory(s.spec, layout(s, { sharding: "full", activationCheckpointing: false }));
  const both = deviceMemory(s.spec, layout(s));
  const fp32 = deviceMemory(s.spec, layout(s, { precision: "fp32" }));
  const one = deviceMemory(s.spec, layout(s, { gpus: 1 }));
  assert.equal(ddp.weights, 4 * 9_628_923_288);
  assert.equal(fsdp.weights, Math.ceil(ddp.weights / 496));
  assert.ok(both.activations < fsdp.activations / 2);
  assert.equal(fp32.activations, 2 * both.activations);
  assert.equal(one.perDeviceBatch, 7936);
  assert.equal(one.activations, both.activations * 496);
  for (const m of [ddp, fsdp, both, fp32, one]) assert.equal(m.total, m.weights + m.gradients + m.optimizer + m.working + m.activations + m.reserve);
});

test("wall time: training multiply-adds x 2 FLOPs over GPUs x peak x the utilisation factor; checkpointing costs one more forward", () => {
  const s = pretrainOf("seer-10b.graph.json");
  const a100 = acceleratorByName("a100-40gb")!;
  const l = layout(s);
  const perImage = countPretraining(s.spec).macsPerImage;
  assert.equal(trainingMacsPerImage(s.spec, true), 4 * perImage);
  assert.equal(trainingMacsPerImage(s.spec, false), 3 * perImage);
  const secs = trainingSeconds(s.spec, l, 1e9, a100)!;
  assert.equal(secs, (2 * 4 * perImage * 1e9) / (496 * 312e12 * UTILISATION));
  assert.equal(peakFor(a100, "fp32"), 156e12); // TF32 for fp32 on Ampere
  assert.equal(peakFor(acceleratorByName("v100-32gb")!, "fp32"), 15.7e12);
  assert.equal(trainingSeconds(s.spec, l, 1e9, acceleratorByName("cpu")!), null);
});
