// The SwAV core learns: on fixed, clustered features (identity trunk, two noisy views of each
// point) the head, prototypes, Sinkhorn codes and swapped loss find the clusters, and the loss
// falls far below ln K (the value of a collapsed model).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { OptimizerSpec } from "../../../contract/specs.js";
import { swavRunFromRecipe, type SwavRecipe } from "../../../runtime/ssl/setup.js";
import { swavStep } from "../../../runtime/ssl/swav-step.js";
import { loadWasm } from "../tfjs-helpers.js";

await loadWasm();
const F = 32, N = 1024, B = 128, CLUSTERS = 16, K = 32, STEPS = 150;

function run(optimizer: OptimizerSpec): number[] {
  const centers = Array.from({ length: CLUSTERS }, (_, c) => Array.from({ length: F }, (_, j) => Math.sin(c * 97.1 + j * 13.7) * 2));
  const feats = new Float32Array(N * F);
  for (let i = 0; i < N; i++) for (let j = 0; j < F; j++) feats[i * F + j] = centers[i % CLUSTERS]![j]! + Math.sin(i * 7.3 + j * 1.9) * 0.3;
  const recipe: SwavRecipe = {
    crops: [{ count: 2, size: 1, scale: [1, 1] }],
    head: { dims: [64, 32], batch_norm: true },
    prototypes: K, temperature: 0.1, sinkhorn: { iterations: 3, epsilon: 0.05 },
    queue: { length: 0, start: { value: 0, unit: "steps" } },
    freeze_prototypes: { value: 10, unit: "steps" },
    optimizer,
    schedule: { kind: "constant", warmup: { value: 0, unit: "steps" } },
    batch: B, duration: { value: STEPS, unit: "steps" }, seed: 0,
  };
  const trunk = (x: tf.Tensor4D) => tf.reshape(x, [x.shape[0], F]) as tf.Tensor2D;
  const swav = swavRunFromRecipe(recipe, { trunk, params: new Map(), featureDim: F, stepsPerEpoch: N / B });
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const off = ((step * B) % N) * F;
    const base = feats.subarray(off, off + B * F);
    const views = [0, 1].map((v) => tf.tensor4d(base.map((x, k) => x + Math.sin(k * 3.1 + v * 11 + step) * 0.1), [B, 1, 1, F]));
    losses.push(swavStep(swav.setup, views, step).loss);
    tf.dispose(views);
  }
  swav.dispose();
  return losses;
}

const rate = (v: number) => ({ resolved: v, value: v, per_images: null });
const OPTIMIZERS: [string, OptimizerSpec][] = [
  ["LARS", { kind: "lars", lr: rate(0.3), momentum: 0.9, weight_decay: 1e-6, trust: 0.001, exclude_bn_bias: true }],
  ["SGD", { kind: "sgd", lr: rate(0.1), momentum: 0.9, nesterov: false, weight_decay: 0 }],
];
for (const [name, opt] of OPTIMIZERS) {
  test(`SwAV with ${name} finds the clusters of fixed features: the loss falls below half of ln K`, () => {
    const losses = run(opt);
    const last = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
    assert.ok(last < 0.5 * Math.log(K), `final loss ${last.toFixed(3)} vs ln K ${Math.log(K).toFixed(3)}`);
  });
}
