/** Sinkhorn-Knopp: against the float64 reference, marginals, queue rows, no gradient, stability. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { sinkhorn } from "../../../runtime/ssl/sinkhorn.js";
import { sinkhornReference } from "../../../runtime/ssl/reference.js";
import { randomMatrix, useBackend } from "../../helpers/ssl-tf.js";

const N = 12; // 8 batch rows + 4 queue rows
const K = 5;
const scores = randomMatrix(1, N, K);

function codesOn(backend: "wasm" | "cpu", opts: { iterations: number; epsilon: number }, keep = N): Promise<Float32Array> {
  return useBackend(backend).then(() => tf.tidy(() => sinkhorn(tf.tensor2d(scores, [N, K]), opts, keep)).data() as Promise<Float32Array>);
}

for (const backend of ["wasm", "cpu"] as const) {
  test(`${backend}: 3 iterations match the float64 reference within 1e-5`, async () => {
    const opts = { iterations: 3, epsilon: 0.05 };
    const got = await codesOn(backend, opts);
    const want = sinkhornReference(scores, N, K, opts);
    for (let i = 0; i < N * K; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-5, `entry ${i}: ${got[i]} vs ${want[i]}`);
  });
}

test("marginals: each prototype gets 1/K and each sample 1/N before the final ×N; codes sum to 1 after", async () => {
  const opts = { iterations: 100, epsilon: 0.05 };
  const q = await codesOn("wasm", opts);
  const ref = sinkhornReference(scores, N, K, opts);
  for (let k = 0; k < K; k++) {
    let got = 0;
    let want = 0;
    for (let b = 0; b < N; b++) {
      got += q[b * K + k]! / N;
      want += ref[b * K + k]! / N;
    }
    assert.ok(Math.abs(got - 1 / K) < 1e-5, `prototype ${k} mass ${got}`);
    assert.ok(Math.abs(got - want) < 1e-5);
  }
  for (let b = 0; b < N; b++) {
    let row = 0;
    for (let k = 0; k < K; k++) row += q[b * K + k]!;
    assert.ok(Math.abs(row / N - 1 / N) < 1e-5, `sample ${b} mass ${row / N}`);
    assert.ok(Math.abs(row - 1) < 1e-5, `code ${b} sums to ${row}`);
  }
});

test("with 3 iterations the last (per-sample) step is exact: every code sums to 1", async () => {
  const q = await codesOn("wasm", { iterations: 3, epsilon: 0.05 });
  for (let b = 0; b < N; b++) {
    let row = 0;
    for (let k = 0; k < K; k++) row += q[b * K + k]!;
    assert.ok(Math.abs(row - 1) < 1e-6);
  }
});

test("batch + queue: only the batch rows come back, normalised over all rows", async () => {
  const opts = { iterations: 3, epsilon: 0.05 };
  const got = await codesOn("wasm", opts, 8);
  assert.equal(got.length, 8 * K);
  const want = sinkhornReference(scores, N, K, opts).slice(0, 8 * K);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-5);
  // Different from Sinkhorn on the batch rows alone: the queue rows take part in the normalisation.
  const alone = sinkhornReference(scores.slice(0, 8 * K), 8, K, opts);
  assert.ok(want.some((w, i) => Math.abs(w - alone[i]!) > 1e-3));
});

test("codes are a constant: no gradient flows back into the scores", async () => {
  await useBackend("wasm");
  const g = tf.tidy(() => {
    const s = tf.tensor2d(scores, [N, K]);
    const w = tf.tensor2d(randomMatrix(2, N, K), [N, K]);
    return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(sinkhorn(x as tf.Tensor2D, { iterations: 3, epsilon: 0.05 }), w)))(s);
  });
  assert.deepEqual([...(await g.data())], new Array(N * K).fill(0));
  g.dispose();
});

test("no overflow: the max is subtracted before exp, so a global shift of the scores changes nothing", async () => {
  // (S + 5)/0.05 reaches 120: exp(120) is inf in float32 without the subtraction.
  const shifted = scores.map((s) => s + 5);
  await useBackend("wasm");
  const opts = { iterations: 3, epsilon: 0.05 };
  const q = tf.tidy(() => sinkhorn(tf.tensor2d(shifted, [N, K]), opts));
  const got = await q.data();
  q.dispose();
  assert.ok(got.every((v) => Number.isFinite(v)));
  const want = sinkhornReference(scores, N, K, opts);
  for (let i = 0; i < N * K; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-5);
});
