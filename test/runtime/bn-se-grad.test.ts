// Fused-backward batch norm and the custom-gradient squeeze-excitation, on wasm, against
// autodiff of textbook implementations on the cpu backend; plus BN's running statistics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { batchNorm, batchNormTrain } from "../../runtime/tfjs/batchnorm.js";
import { squeezeExcite } from "../../runtime/tfjs/se.js";
import type { Rank, Tensor, Tensor1D, Tensor4D, Tf, Variable } from "../../runtime/tfjs/tf.js";
import { referenceBatchNorm, referenceSe } from "./reference-ops.js";
import { assertMatches, evaluate, loadWasm, randomInput } from "./tfjs-helpers.js";

const tf = await loadWasm();
const TOL = 1e-4;

test("training-mode batch norm (NHWC and [N,C]) matches autodiff of the textbook formula", async () => {
  for (const shape of [[4, 5, 3, 6], [3, 7, 7, 2], [9, 5]]) {
    const c = shape[shape.length - 1] ?? 1;
    const inputs = [randomInput(shape, 2), randomInput([c]), randomInput([c])];
    const ours = await evaluate(tf, "wasm", inputs, ([x, g, b]) => batchNormTrain(tf, x as Tensor, g as Tensor1D, b as Tensor1D));
    const ref = await evaluate(tf, "cpu", inputs, ([x, g, b]) => referenceBatchNorm(tf, x as Tensor, g as Tensor, b as Tensor));
    assertMatches(ours, ref, TOL, `BN ${shape.join("x")}`);
  }
});

function bnParams(t: Tf, c: number): { gamma: Variable<Rank.R1>; beta: Variable<Rank.R1>; runningMean: Variable<Rank.R1>; runningVar: Variable<Rank.R1> } {
  return {
    gamma: t.variable(t.tensor1d(Array.from({ length: c }, (_, i) => 1 + i / 10))),
    beta: t.variable(t.tensor1d(Array.from({ length: c }, (_, i) => i / 5))),
    runningMean: t.variable(t.zeros([c]), false),
    runningVar: t.variable(t.ones([c]), false),
  };
}

test("batch norm updates running statistics like PyTorch (momentum 0.1, unbiased variance) and uses them in eval mode", async () => {
  await tf.setBackend("wasm");
  const p = bnParams(tf, 2);
  // Channel 0 holds 1..4, channel 1 holds 2, 4, 6, 8 (N=2, H=2, W=1).
  const x = tf.tensor4d([1, 2, 2, 4, 3, 6, 4, 8], [2, 2, 1, 2]);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    batchNorm(tf, x, p, { training: true });
  });
  assert.equal(tf.memory().numTensors, before, "training-mode BN leaked tensors");
  const approx = (a: Float32Array | Int32Array | Uint8Array, b: number[]): void =>
    b.forEach((v, i) => assert.ok(Math.abs((a[i] ?? NaN) - v) < 1e-5, `${a[i]} vs ${v}`));
  approx(p.runningMean.dataSync(), [0.1 * 2.5, 0.1 * 5]);
  // Unbiased variances: 5/3 and 20/3.
  approx(p.runningVar.dataSync(), [0.9 + (0.1 * 5) / 3, 0.9 + (0.1 * 20) / 3]);
  const y = tf.tidy(() => batchNorm(tf, x, p, { training: false }));
  const rm = p.runningMean.dataSync();
  const rv = p.runningVar.dataSync();
  const gamma = [1, 1.1];
  const beta = [0, 0.2];
  const xs = x.dataSync();
  const expected = Array.from(xs, (v, i) => {
    const ch = i % 2;
    return ((v - (rm[ch] ?? 0)) / Math.sqrt((rv[ch] ?? 0) + 1e-5)) * (gamma[ch] ?? 0) + (beta[ch] ?? 0);
  });
  approx(y.dataSync(), expected);
  // Eval mode leaves the running statistics alone.
  approx(p.runningMean.dataSync(), [0.25, 0.5]);
  tf.dispose([x, y, p.gamma, p.beta, p.runningMean, p.runningVar]);
});

test("training-mode batch norm refuses a single value per channel (as PyTorch does)", async () => {
  await tf.setBackend("wasm");
  const p = bnParams(tf, 3);
  const x = tf.ones([1, 1, 1, 3]) as Tensor4D;
  assert.throws(() => tf.tidy(() => batchNorm(tf, x, p, { training: true })), /more than one value per channel/);
  tf.dispose([x, p.gamma, p.beta, p.runningMean, p.runningVar]);
});

test("squeeze-excitation matches autodiff of the textbook formula (all five inputs)", async () => {
  for (const [n, h, w, c, e] of [[3, 5, 4, 8, 2], [2, 1, 1, 12, 3], [4, 3, 3, 6, 6]] as const) {
    const inputs = [randomInput([n, h, w, c]), randomInput([1, 1, c, e]), randomInput([e], 0.5), randomInput([1, 1, e, c]), randomInput([c], 0.5)];
    const ours = await evaluate(tf, "wasm", inputs, ([x, w1, b1, w2, b2]) =>
      squeezeExcite(tf, x as Tensor4D, { w1: w1 as Tensor4D, b1: b1 as Tensor1D, w2: w2 as Tensor4D, b2: b2 as Tensor1D }),
    );
    const ref = await evaluate(tf, "cpu", inputs, ([x, w1, b1, w2, b2]) =>
      referenceSe(tf, x as Tensor4D, w1 as Tensor4D, b1 as Tensor, w2 as Tensor4D, b2 as Tensor),
    );
    assertMatches(ours, ref, TOL, `SE ${n}x${h}x${w}x${c} -> ${e}`);
  }
});
