// The custom-gradient convolutions, run on wasm, against autodiff of tfjs's own conv2d on the
// pure-JS cpu backend (which has every gradient kernel).
import { test } from "node:test";
import assert from "node:assert/strict";
import { conv2d, convOutSize } from "../../runtime/tfjs/conv.js";
import { chooseGroupedMethod, groupedConv2d, type GroupedMethod } from "../../runtime/tfjs/grouped-conv.js";
import type { Tensor, Tensor4D } from "../../runtime/tfjs/tf.js";
import { referenceConv } from "./reference-ops.js";
import { assertMatches, evaluate, loadWasm, randomInput } from "./tfjs-helpers.js";

const tf = await loadWasm();
const TOL = 1e-4;

interface Case {
  k: number;
  stride: number;
  h: number;
  w: number;
  ci: number;
  co: number;
}

const plainCases: Case[] = [];
for (const k of [1, 3]) {
  for (const stride of [1, 2]) {
    for (const [h, w] of [[7, 7], [8, 6], [5, 3], [2, 2], [1, 1]] as const) plainCases.push({ k, stride, h, w, ci: 5, co: 4 });
  }
}

test("conv2d (1x1 and 3x3, stride 1 and 2, odd and even sizes) matches tf.conv2d and its gradients", async () => {
  for (const c of plainCases) {
    const pad = c.k === 3 ? 1 : 0;
    const inputs = [randomInput([2, c.h, c.w, c.ci]), randomInput([c.k, c.k, c.ci, c.co])];
    const label = `${c.k}x${c.k}/${c.stride} on ${c.h}x${c.w}`;
    const ours = await evaluate(tf, "wasm", inputs, ([x, w]) => conv2d(tf, x as Tensor4D, w as Tensor4D, { stride: c.stride, pad }));
    const ref = await evaluate(tf, "cpu", inputs, ([x, w]) => referenceConv(tf, x as Tensor4D, w as Tensor4D, c.stride, pad, 1));
    assert.deepEqual(ours.shape, [2, convOutSize(c.h, c.k, c.stride, pad), convOutSize(c.w, c.k, c.stride, pad), c.co]);
    assertMatches(ours, ref, TOL, label);
  }
});

test("conv2d pads like PyTorch: 3x3, pad 1, stride 2 gives ceil(h/2) and reads the top-left padding", async () => {
  await tf.setBackend("wasm");
  // A 4x4 ramp, 3x3 all-ones filter: output (0,0) sums rows -1..1 and columns -1..1.
  const y = tf.tidy(() => conv2d(tf, tf.range(0, 16).reshape([1, 4, 4, 1]) as Tensor4D, tf.ones([3, 3, 1, 1]) as Tensor4D, { stride: 2, pad: 1 }));
  assert.deepEqual(y.shape, [1, 2, 2, 1]);
  assert.deepEqual(Array.from(y.dataSync()), [0 + 1 + 4 + 5, 1 + 2 + 3 + 5 + 6 + 7, 4 + 5 + 8 + 9 + 12 + 13, 5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15]);
  y.dispose();
});

test("conv2d with inputGrad: false still gives the exact filter gradient", async () => {
  const inputs = [randomInput([3, 9, 7, 3]), randomInput([3, 3, 3, 6])];
  const f = (ts: Tensor[]): Tensor => conv2d(tf, ts[0] as Tensor4D, ts[1] as Tensor4D, { stride: 2, pad: 1, inputGrad: false });
  const ours = await evaluate(tf, "wasm", inputs, f, [1]);
  const ref = await evaluate(tf, "cpu", inputs, ([x, w]) => referenceConv(tf, x as Tensor4D, w as Tensor4D, 2, 1, 1), [1]);
  assertMatches(ours, ref, TOL, "stem-style conv");
});

const methods: GroupedMethod[] = ["blockdiag", "split", "im2col"];
const groupedSizes: [number, number, number][] = [
  // h, w, stride
  [7, 7, 1],
  [7, 5, 2],
  [6, 6, 2],
  [2, 2, 2],
  [2, 2, 1],
  [1, 1, 1],
];

test("grouped 3x3 conv (1, 3 and 12 groups; every method; odd sizes) matches per-group tf.conv2d", async () => {
  for (const groups of [1, 3, 12]) {
    const gw = groups === 12 ? 2 : 4;
    const ch = groups * gw;
    for (const [h, w, stride] of groupedSizes) {
      const inputs = [randomInput([2, h, w, ch]), randomInput([3, 3, gw, ch])];
      const ref = await evaluate(tf, "cpu", inputs, ([x, k]) => referenceConv(tf, x as Tensor4D, k as Tensor4D, stride, 1, groups));
      for (const method of [...methods, "auto"] as const) {
        const label = `${groups} groups, ${method}, ${h}x${w}/${stride}`;
        const f = (ts: Tensor[]): Tensor => groupedConv2d(tf, ts[0] as Tensor4D, ts[1] as Tensor4D, { stride, pad: 1, groups, method });
        assertMatches(await evaluate(tf, "wasm", inputs, f), ref, TOL, label);
      }
    }
  }
});

test("grouped 1x1 conv with stride 2 (im2col and split) matches", async () => {
  const inputs = [randomInput([2, 5, 5, 12]), randomInput([1, 1, 3, 12])];
  const ref = await evaluate(tf, "cpu", inputs, ([x, k]) => referenceConv(tf, x as Tensor4D, k as Tensor4D, 2, 0, 4));
  for (const method of methods) {
    const f = (ts: Tensor[]): Tensor => groupedConv2d(tf, ts[0] as Tensor4D, ts[1] as Tensor4D, { stride: 2, pad: 0, groups: 4, method });
    assertMatches(await evaluate(tf, "wasm", inputs, f), ref, TOL, `1x1 grouped ${method}`);
  }
});

test("auto picks block-diagonal for few groups, split on larger maps, im2col on 1x1 maps", () => {
  assert.equal(chooseGroupedMethod(1, 8, 8), "dense");
  assert.equal(chooseGroupedMethod(3, 8, 8), "blockdiag");
  assert.equal(chooseGroupedMethod(7, 4, 4), "split");
  assert.equal(chooseGroupedMethod(19, 2, 2), "split");
  assert.equal(chooseGroupedMethod(46, 1, 1), "im2col");
});

test("grouped conv rejects channel counts that do not divide into the groups", async () => {
  await tf.setBackend("wasm");
  const x = tf.zeros([1, 4, 4, 10]) as Tensor4D;
  const w = tf.zeros([3, 3, 3, 10]) as Tensor4D;
  assert.throws(() => groupedConv2d(tf, x, w, { stride: 1, pad: 1, groups: 3 }), /cannot form 3 groups/);
  tf.dispose([x, w]);
});
