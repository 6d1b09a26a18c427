/** The swapped-prediction loss: ln K at uniform scores, value and gradients against float64 references, queue. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { swappedLoss, type SwappedLossOptions } from "../../../runtime/ssl/loss.js";
import { scoresReference, sinkhornReference, swappedLossReference, type Dims } from "../../../runtime/ssl/reference.js";
import { randomMatrix, relMaxError, useBackend } from "../../helpers/ssl-tf.js";

const dims: Dims = { crops: 4, batch: 3, dim: 4, k: 5 };
const opts: SwappedLossOptions = { crops: 4, assign: [0, 1], temperature: 0.1, sinkhorn: { iterations: 3, epsilon: 0.05 } };
const z = randomMatrix(11, dims.crops * dims.batch, dims.dim, true);
const protos = randomMatrix(12, dims.k, dims.dim, true);

/** Reference codes of the assigning crops for the given embeddings (queue rows appended for Sinkhorn only). */
function referenceCodes(zs: ArrayLike<number>, cs: ArrayLike<number>, queue: readonly Float32Array[] = []): Float64Array[] {
  const { batch: b, dim: d, k } = dims;
  return opts.assign.map((a, i) => {
    const rows = Array.from({ length: b * d }, (_, j) => zs[a * b * d + j]!);
    const q = queue[i];
    const all = q ? [...rows, ...q] : rows;
    const n = all.length / d;
    return sinkhornReference(scoresReference(all, n, cs, k, d), n, k, opts.sinkhorn).slice(0, b * k);
  });
}

function tfLoss(zs: Float32Array, cs: Float32Array, queue: tf.Tensor3D | null = null): number {
  return tf.tidy(() => swappedLoss(tf.tensor2d(zs, [dims.crops * dims.batch, dims.dim]), tf.tensor2d(cs, [dims.k, dims.dim]), opts, queue).dataSync()[0]!);
}

for (const [backend, tol] of [["cpu", 1e-6], ["wasm", 1e-4]] as const) {
  // wasm's Sum kernel accumulates sequentially in float32: over the 3000-wide rows of codes and
  // the 4×3000 products of the loss it drifts by ~2e-5 relative (the cpu backend sums in float64).
  test(`${backend}: all-equal embeddings and prototypes give loss = ln K (K = 3000), rel. error < ${tol}`, async () => {
    await useBackend(backend);
    const k = 3000;
    const d = 8;
    const unit = (n: number) => tf.tidy(() => tf.concat([tf.ones([n, 1]), tf.zeros([n, d - 1])], 1) as tf.Tensor2D);
    const loss = tf.tidy(() => swappedLoss(unit(2 * 4), unit(k), { crops: 2, assign: [0, 1], temperature: 0.1, sinkhorn: { iterations: 3, epsilon: 0.05 } }).dataSync()[0]!);
    assert.ok(Math.abs(loss / Math.log(k) - 1) < tol, `${loss} vs ln K = ${Math.log(k)}`);
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  test(`${backend}: the loss matches the float64 reference`, async () => {
    await useBackend(backend);
    const want = swappedLossReference(z, protos, dims, opts.assign, referenceCodes(z, protos), opts.temperature);
    assert.ok(Math.abs(tfLoss(z, protos) - want) < 1e-5 * Math.max(1, want));
  });
}

test("gradients w.r.t. embeddings and prototypes match central differences (codes held constant), rel. error < 1e-3", async () => {
  await useBackend("wasm");
  const [gz, gc] = tf.tidy(() => {
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor) => swappedLoss(a as tf.Tensor2D, c as tf.Tensor2D, opts));
    return grads([tf.tensor2d(z, [12, 4]), tf.tensor2d(protos, [5, 4])]).map((g) => g.dataSync().slice());
  }) as [Float32Array, Float32Array];
  const codes = referenceCodes(z, protos);
  const f = (zs: ArrayLike<number>, cs: ArrayLike<number>) => swappedLossReference(zs, cs, dims, opts.assign, codes, opts.temperature);
  const h = 1e-6;
  const numeric = (x: Float32Array, call: (p: Float64Array) => number) =>
    Array.from(x, (_, i) => {
      const plus = Float64Array.from(x);
      const minus = Float64Array.from(x);
      plus[i]! += h;
      minus[i]! -= h;
      return (call(plus) - call(minus)) / (2 * h);
    });
  const nz = numeric(z, (p) => f(p, protos));
  const nc = numeric(protos, (p) => f(z, p));
  assert.ok(relMaxError(gz, nz) < 1e-3, `embedding gradient error ${relMaxError(gz, nz)}`);
  assert.ok(relMaxError(gc, nc) < 1e-3, `prototype gradient error ${relMaxError(gc, nc)}`);
  assert.ok(nz.some((g) => Math.abs(g) > 1e-2) && nc.some((g) => Math.abs(g) > 1e-2), "non-trivial gradients");
});

test("with a queue, codes come from Sinkhorn over batch + queue rows (scored with the current prototypes)", async () => {
  await useBackend("wasm");
  const length = 6;
  const queue = [randomMatrix(21, length, dims.dim, true), randomMatrix(22, length, dims.dim, true)];
  const qt = tf.tensor3d([...queue[0]!, ...queue[1]!], [2, length, dims.dim]);
  const got = tfLoss(z, protos, qt);
  qt.dispose();
  const want = swappedLossReference(z, protos, dims, opts.assign, referenceCodes(z, protos, queue), opts.temperature);
  const without = swappedLossReference(z, protos, dims, opts.assign, referenceCodes(z, protos), opts.temperature);
  assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
  assert.ok(Math.abs(want - without) > 1e-4, "the queue changes the codes");
});

test("bad shapes are refused", async () => {
  await useBackend("wasm");
  assert.throws(() => tf.tidy(() => swappedLoss(tf.zeros([7, 4]), tf.zeros([5, 4]), opts)), /do not split into 4/);
  assert.throws(() => tf.tidy(() => swappedLoss(tf.zeros([12, 4]), tf.zeros([5, 4]), { ...opts, assign: [4] })), /assigning crops/);
});
