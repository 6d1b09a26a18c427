/** The SwAV head: layout, seeded init, unit-norm embeddings and prototypes, BN modes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { PROTOTYPES, SwavHead } from "../../../runtime/ssl/head.js";
import { randomMatrix, useBackend } from "../../helpers/ssl-tf.js";

function rowNorms(t: tf.Tensor2D): number[] {
  return tf.tidy(() => Array.from(tf.sqrt(tf.sum(tf.square(t), 1)).dataSync()));
}

test("layout: Linear → BN → ReLU → Linear for dims [16, 8]; no BN when batch_norm is off", async () => {
  await useBackend("wasm");
  const head = new SwavHead({ inputDim: 12, dims: [16, 8], batchNorm: true, prototypes: 10, seed: 3 });
  assert.deepEqual(
    [...head.params].map(([n, v]) => `${n} [${v.shape.join(",")}]`),
    ["head.linear0.weight [12,16]", "head.linear0.bias [16]", "head.bn0.weight [16]", "head.bn0.bias [16]", "head.linear1.weight [16,8]", "head.linear1.bias [8]", `${PROTOTYPES} [10,8]`],
  );
  assert.deepEqual([...head.buffers.keys()], ["head.bn0.running_mean", "head.bn0.running_var"]);
  head.dispose();
  const plain = new SwavHead({ inputDim: 12, dims: [16, 16, 8], batchNorm: false, prototypes: 10, seed: 3 });
  assert.deepEqual([...plain.params.keys()].filter((n) => n.includes("bn")), []);
  assert.equal(plain.buffers.size, 0);
  plain.dispose();
});

test("seeded: the same seed gives the same bits, another seed other values", async () => {
  await useBackend("wasm");
  const make = (seed: number) => new SwavHead({ inputDim: 6, dims: [5, 4], batchNorm: true, prototypes: 7, seed });
  const [a, b, c] = [make(1), make(1), make(2)];
  for (const [name, v] of a.params) assert.deepEqual(v.dataSync(), b.params.get(name)!.dataSync(), name);
  assert.notDeepEqual(a.prototypes.dataSync(), c.prototypes.dataSync());
  for (const h of [a, b, c]) h.dispose();
});

test("embeddings and prototypes have unit rows; eval mode uses the running statistics", async () => {
  await useBackend("wasm");
  const head = new SwavHead({ inputDim: 6, dims: [5, 4], batchNorm: true, prototypes: 7, seed: 4 });
  for (const n of rowNorms(head.prototypes)) assert.ok(Math.abs(n - 1) < 1e-6);
  const x = tf.tensor2d(randomMatrix(5, 9, 6), [9, 6]);
  const z = head.embed(x, true);
  for (const n of rowNorms(z)) assert.ok(Math.abs(n - 1) < 1e-6);
  // One training forward moved the running mean by 0.1 × the batch mean of the first layer's output.
  const mean = head.buffers.get("head.bn0.running_mean")!.dataSync();
  assert.ok(mean.some((m) => Math.abs(m) > 1e-4));
  // Eval mode: per-sample, so one row alone embeds the same as within the batch.
  const all = head.embed(x, false);
  const one = head.embed(tf.slice(x, [2, 0], [1, 6]) as tf.Tensor2D, false);
  const row = tf.slice(all, [2, 0], [1, 4]);
  assert.ok(Math.max(...tf.abs(tf.sub(one, row)).dataSync()) < 1e-6);
  tf.dispose([x, z, all, one, row]);
  head.dispose();
});

test("normalizePrototypes rescales every row to unit norm", async () => {
  await useBackend("wasm");
  const head = new SwavHead({ inputDim: 3, dims: [4], batchNorm: false, prototypes: 5, seed: 6 });
  tf.tidy(() => head.prototypes.assign(tf.mul(head.prototypes, tf.tensor2d([1, 2, 3, 4, 5], [5, 1]))));
  head.normalizePrototypes();
  for (const n of rowNorms(head.prototypes)) assert.ok(Math.abs(n - 1) < 1e-6);
  head.dispose();
});
