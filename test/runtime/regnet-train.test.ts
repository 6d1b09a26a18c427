// The assembled network: forward and gradients on wasm against a plain-tfjs reference on the
// cpu backend; taps; a 20-step SGD run that must not leak tensors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildRegNet, type RegNet, type RegNetArch } from "../../runtime/tfjs/regnet.js";
import type { Rank, Scalar, Tensor, Tensor2D, Tensor4D, Tf } from "../../runtime/tfjs/tf.js";
import { referenceBatchNorm, referenceBatchNormEval, referenceConv, referenceSe } from "./reference-ops.js";
import { loadWasm, randomInput, relError } from "./tfjs-helpers.js";

const tf = await loadWasm();
// Each op is checked at 1e-4 in its own test; through a whole network (a dozen BN layers, sums
// taken in a different order than the reference's) float32 differences compound somewhat.
const NET_TOL = 5e-4;

// 16x16 input: stage 1 (2 groups, 4x4 maps) uses block-diagonal, stage 2 (6 groups, 2x2) split,
// stage 3 (8 groups, 1x1 maps: 4 taps, then the centre tap only) im2col.
function tiny(family: "X" | "Y"): RegNetArch {
  return {
    family,
    stemWidth: 8,
    seRatio: family === "Y" ? 0.25 : null,
    stages: [
      { depth: 1, width: 8, groupWidth: 4, bottleneckWidth: 8 },
      { depth: 2, width: 24, groupWidth: 4, bottleneckWidth: 24 },
      { depth: 2, width: 32, groupWidth: 4, bottleneckWidth: 32 },
    ],
  };
}

/** The same network written with tf.conv2d, tf.moments etc. (autodiff only). */
function referenceForward(t: Tf, net: RegNet, p: Map<string, Tensor>, x: Tensor4D, training: boolean): Tensor2D {
  const get = (n: string): Tensor => {
    const v = p.get(n);
    if (v === undefined) throw new Error(`no ${n}`);
    return v;
  };
  const bn = (h: Tensor4D, pre: string): Tensor4D =>
    (training
      ? referenceBatchNorm(t, h, get(`${pre}.weight`), get(`${pre}.bias`))
      : referenceBatchNormEval(t, h, get(`${pre}.weight`), get(`${pre}.bias`), get(`${pre}.running_mean`), get(`${pre}.running_var`))) as Tensor4D;
  const conv = (h: Tensor4D, n: string, stride: number, pad: number, groups = 1): Tensor4D => referenceConv(t, h, get(n) as Tensor4D, stride, pad, groups);
  let h = t.relu(bn(conv(x, "stem.conv.weight", 2, 1), "stem.bn"));
  for (const b of net.blocks) {
    const f = `${b.name}.f`;
    let y = t.relu(bn(conv(h, `${f}.a.weight`, 1, 0), `${f}.a_bn`));
    y = t.relu(bn(conv(y, `${f}.b.weight`, b.stride, 1, b.groups), `${f}.b_bn`));
    if (b.seWidth > 0) {
      y = referenceSe(t, y, get(`${f}.se.f_ex.0.weight`) as Tensor4D, get(`${f}.se.f_ex.0.bias`), get(`${f}.se.f_ex.2.weight`) as Tensor4D, get(`${f}.se.f_ex.2.bias`));
    }
    y = bn(conv(y, `${f}.c.weight`, 1, 0), `${f}.c_bn`);
    const sc = b.projection ? bn(conv(h, `${b.name}.proj.weight`, b.stride, 0), `${b.name}.bn`) : h;
    h = t.relu(t.add(y, sc)) as Tensor4D;
  }
  return t.add(t.matMul(t.mean(h, [1, 2]) as Tensor2D, get("head.fc.weight") as Tensor2D), get("head.fc.bias"));
}

for (const family of ["X", "Y"] as const) {
  test(`RegNet${family} forward (train and eval) and all parameter gradients match the cpu reference`, async (t) => {
    await tf.setBackend("wasm");
    const net = buildRegNet(tf, tiny(family), { seed: 5, head: { classes: 7 } });
    const xIn = randomInput([4, 16, 16, 3]);
    const rIn = randomInput([4, 7]);
    const x = tf.tensor4d(xIn.values, xIn.shape as [number, number, number, number]);
    const r = tf.tensor2d(rIn.values, [4, 7]);
    const trainable = net.variables.filter((v) => v.trainable);
    // Snapshot every variable before the training-mode pass moves the running statistics.
    const initial = new Map(net.variables.map((v) => [v.name, { shape: v.variable.shape, values: v.variable.dataSync().slice() as Float32Array }]));
    const loss = (): Scalar => tf.sum(tf.mul(net.apply(x, { training: true }).logits as Tensor2D, r));
    const { value, grads } = tf.variableGrads(loss, trainable.map((v) => v.variable));
    const oursLoss = value.dataSync()[0] ?? NaN;
    const oursGrads = new Map(trainable.map((v) => [v.name, grads[v.variable.name]?.dataSync().slice() as Float32Array]));
    const evalOut = net.apply(x, { training: false }).logits as Tensor2D;
    const oursEval = evalOut.dataSync().slice() as Float32Array;
    const updated = new Map(net.variables.map((v) => [v.name, v.variable.dataSync().slice() as Float32Array]));
    tf.dispose([value, evalOut, ...Object.values(grads)]);

    await tf.setBackend("cpu");
    tf.tidy(() => {
      const p = new Map<string, Tensor>([...initial].map(([n, v]) => [n, tf.tensor(v.values, v.shape)]));
      const xs = tf.tensor4d(xIn.values, xIn.shape as [number, number, number, number]);
      const rs = tf.tensor2d(rIn.values, [4, 7]);
      const names = trainable.map((v) => v.name);
      const f = (...ts: Tensor[]): Scalar => {
        const q = new Map(p);
        names.forEach((n, i) => q.set(n, ts[i] as Tensor));
        return tf.sum(tf.mul(referenceForward(tf, net, q, xs, true), rs));
      };
      const refGrads = tf.grads(f)(names.map((n) => p.get(n) as Tensor));
      const refLoss = f(...names.map((n) => p.get(n) as Tensor)).dataSync()[0] ?? NaN;
      assert.ok(Math.abs(oursLoss - refLoss) <= 1e-4 * Math.max(1, Math.abs(refLoss)), `loss ${oursLoss} vs ${refLoss}`);
      let worst = 0;
      names.forEach((n, i) => {
        const e = relError(oursGrads.get(n) as Float32Array, refGrads[i]?.dataSync() as Float32Array);
        worst = Math.max(worst, e);
        assert.ok(e < NET_TOL, `${n}: gradient relative error ${e.toExponential(2)}`);
      });
      t.diagnostic(`worst gradient relative error over ${names.length} parameters: ${worst.toExponential(2)}`);
      const pe = new Map<string, Tensor>([...initial].map(([n, v]) => [n, tf.tensor(updated.get(n) as Float32Array, v.shape)]));
      const e = relError(oursEval, referenceForward(tf, net, pe, xs, false).dataSync() as Float32Array);
      assert.ok(e < NET_TOL, `eval logits relative error ${e.toExponential(2)}`);
    });
    await tf.setBackend("wasm");
    tf.dispose([x, r]);
    net.dispose();
  });
}

test("apply returns exactly the requested taps, with the expected shapes, and keeps nothing else", async () => {
  await tf.setBackend("wasm");
  const net = buildRegNet(tf, tiny("Y"), { seed: 1 });
  assert.deepEqual(net.tapNames, ["stem", "res2", "res3", "res4", "pool"]);
  const x = tf.zeros([2, 17, 15, 3]) as Tensor4D; // odd sizes: 17x15 -> 9x8 -> 5x4 -> 3x2 -> 2x1
  const before = tf.memory().numTensors;
  const out = net.apply(x, { training: false, taps: ["stem", "res2", "res3", "res4", "pool"] });
  assert.equal(tf.memory().numTensors, before + 5);
  assert.equal(out.logits, null);
  assert.deepEqual(out.taps.stem?.shape, [2, 9, 8, 8]);
  assert.deepEqual(out.taps.res2?.shape, [2, 5, 4, 8]);
  assert.deepEqual(out.taps.res3?.shape, [2, 3, 2, 24]);
  assert.deepEqual(out.taps.res4?.shape, [2, 2, 1, 32]);
  assert.deepEqual(out.taps.pool?.shape, [2, 32]);
  tf.dispose(Object.values(out.taps));
  const dflt = net.apply(x, { training: false });
  assert.deepEqual(Object.keys(dflt.taps), ["pool"], "without a head the default output is the pooled features");
  tf.dispose(Object.values(dflt.taps));
  assert.throws(() => net.apply(x, { training: false, taps: ["res9"] }), /unknown tap 'res9'/);
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
  net.dispose();
});

test("20 SGD steps on wasm (cross-entropy, fc head): numTensors stays constant and the loss falls", async (t) => {
  await tf.setBackend("wasm");
  const arch: RegNetArch = {
    family: "Y",
    stemWidth: 24,
    seRatio: 0.25,
    stages: [24, 56, 152, 368].map((width, i) => ({ depth: [1, 1, 4, 7][i] ?? 1, width, groupWidth: 8, bottleneckWidth: width })),
  };
  const net = buildRegNet(tf, arch, { seed: 0, head: { classes: 10 } });
  const x = tf.randomNormal<Rank.R4>([8, 32, 32, 3], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], "int32"), 10);
  const opt = tf.train.sgd(0.02);
  const vars = net.trainableVariables();
  const counts: number[] = [];
  const losses: number[] = [];
  for (let step = 0; step < 20; step++) {
    const v = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }).logits as Tensor2D) as Scalar, vars);
      opt.applyGradients(grads);
      return value;
    });
    losses.push(v.dataSync()[0] ?? NaN);
    v.dispose();
    counts.push(tf.memory().numTensors);
  }
  t.diagnostic(`losses ${losses.map((l) => l.toFixed(3)).join(" ")}`);
  assert.deepEqual(new Set(counts).size, 1, `numTensors per step: ${counts.join(",")}`);
  assert.ok((losses[19] ?? NaN) < (losses[0] ?? NaN) * 0.5, `loss ${losses[0]} -> ${losses[19]}`);
  tf.dispose([x, y]);
  opt.dispose();
  net.dispose();
});
