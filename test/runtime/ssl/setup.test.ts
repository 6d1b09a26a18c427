/** A `swav` recipe (projected JSON, defaults as in compiler/types/constructors/swav.ts) to a running step. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { swavRunFromRecipe, type SwavRecipe } from "../../../runtime/ssl/setup.js";
import { swavStep } from "../../../runtime/ssl/swav-step.js";
import { seededCrops, tinyTrunk, useBackend } from "../../helpers/ssl-tf.js";

const recipe: SwavRecipe = {
  crops: [
    { count: 2, size: 8, scale: [0.14, 1] },
    { count: 2, size: 4, scale: [0.05, 0.14] },
  ],
  head: { dims: [32, 16], batch_norm: true },
  prototypes: 20,
  temperature: 0.1,
  sinkhorn: { iterations: 3, epsilon: 0.05 },
  queue: { length: 16, start: { value: 1, unit: "epochs" } },
  freeze_prototypes: { value: 313, unit: "steps" },
  optimizer: { kind: "lars", lr: { resolved: 0.3, value: 0.3, per_images: 256 }, momentum: 0.9, weight_decay: 1e-6, trust: 0.001, exclude_bn_bias: true },
  schedule: { kind: "cosine", warmup: { value: 0.1, unit: "run_fraction" }, warmup_from: { resolved: 0, value: 0, per_images: null }, final_factor: 0.001 },
  batch: 8,
  duration: { value: 4, unit: "epochs" },
  seed: 0,
};

test("recipe fields become steps, rates, the assigning crops, the queue and the optimiser", async () => {
  await useBackend("wasm");
  const t = tinyTrunk(0, 3, 12);
  const r = swavRunFromRecipe(recipe, { trunk: t.trunk, params: t.params, featureDim: 12, stepsPerEpoch: 50 });
  assert.equal(r.totalSteps, 200);
  assert.deepEqual(r.setup.assign, [0, 1]);
  assert.equal(r.setup.freezePrototypes, 313);
  assert.equal(r.setup.queue?.start, 50);
  assert.equal(r.setup.queue?.queue.length, 16);
  assert.equal(r.setup.optimizer.kind, "lars");
  // 0.3 per 256 at batch 8 = 0.009375; warmup 10% = 20 steps from 0
  assert.equal(r.setup.learningRate(0), 0);
  assert.ok(Math.abs(r.setup.learningRate(10) - 0.009375 / 2) < 1e-12);
  const crops = seededCrops(9, 8, [
    { count: 2, size: 8 },
    { count: 2, size: 4 },
  ]);
  const out = swavStep(r.setup, crops, 0);
  assert.ok(Number.isFinite(out.loss) && out.prototypesFrozen && !out.usedQueue);
  tf.dispose(crops);
  r.dispose();
  for (const v of t.params.values()) v.dispose();
});
