/** LARS (LARC, clip = False) steps against hand computations. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Lars, isBatchNormOrBias } from "../../../runtime/optim/lars.js";
import { useBackend } from "../../helpers/ssl-tf.js";

function close(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) < 1e-6, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

test("two LARS steps by hand (trust 0.02, wd 0.1, momentum 0.9, lr 0.5); bias excluded; zero gradient untouched", async () => {
  await useBackend("wasm");
  const params = new Map([
    ["fc.weight", tf.variable(tf.tensor1d([3, 4]))],
    ["fc.bias", tf.variable(tf.tensor1d([1, -1]))],
    ["other.weight", tf.variable(tf.tensor1d([2, 0]))],
  ]);
  const opt = new Lars(params, { momentum: 0.9, weightDecay: 0.1, trust: 0.02, exclude: isBatchNormOrBias });
  const grads = new Map<string, tf.Tensor>([
    ["fc.weight", tf.tensor1d([0.3, 0.4])],
    ["fc.bias", tf.tensor1d([0.5, 0.5])],
    ["other.weight", tf.tensor1d([0, 0])],
  ]);
  opt.apply(grads, 0.5);
  // fc.weight: ‖w‖ = 5, ‖g‖ = 0.5, local = 0.02·5 / (0.5 + 0.1·5 + 1e-8) = 0.1 (to 1e-8)
  //   d = 0.1·(g + 0.1·w) = 0.1·([0.3, 0.4] + [0.3, 0.4]) = [0.06, 0.08];  buf = d
  //   w = [3, 4] − 0.5·[0.06, 0.08] = [2.97, 3.96]
  close(params.get("fc.weight")!.dataSync(), [2.97, 3.96], "step 1 weight");
  // fc.bias is excluded: d = g (no trust ratio, no decay); w = [1, −1] − 0.5·[0.5, 0.5] = [0.75, −1.25]
  close(params.get("fc.bias")!.dataSync(), [0.75, -1.25], "step 1 bias");
  // other.weight: ‖g‖ = 0, so LARC neither scales nor decays: d = g = 0, w unchanged
  close(params.get("other.weight")!.dataSync(), [2, 0], "zero-gradient weight");

  opt.apply(grads, 0.5);
  // fc.weight: ‖w‖ = ‖[2.97, 3.96]‖ = 4.95, local = 0.02·4.95 / (0.5 + 0.495) = 0.099/0.995
  //   g + 0.1·w = [0.597, 0.796] = 0.995·[0.6, 0.8], so d = 0.099·[0.6, 0.8] = [0.0594, 0.0792]
  //   buf = 0.9·[0.06, 0.08] + [0.0594, 0.0792] = [0.1134, 0.1512]
  //   w = [2.97, 3.96] − 0.5·[0.1134, 0.1512] = [2.9133, 3.8844]
  close(params.get("fc.weight")!.dataSync(), [2.9133, 3.8844], "step 2 weight");
  // fc.bias: buf = 0.9·[0.5, 0.5] + [0.5, 0.5] = [0.95, 0.95]; w = [0.75, −1.25] − 0.475 = [0.275, −1.725]
  close(params.get("fc.bias")!.dataSync(), [0.275, -1.725], "step 2 bias");
  close(opt.exportState()["fc.weight"]!, [0.1134, 0.1512], "momentum buffer");
  tf.dispose([...grads.values()]);
  opt.dispose();
  for (const v of params.values()) v.dispose();
});

test("the BN/bias predicate", () => {
  for (const n of ["head.linear0.bias", "head.bn0.weight", "head.bn0.bias", "trunk.s1.b0.bn_a.weight", "bias"]) assert.ok(isBatchNormOrBias(n), n);
  // The RegNet's own (pycls) BN names.
  for (const n of ["stem.bn.weight", "s1.b1.bn.weight", "s1.b1.f.a_bn.weight", "s2.b3.f.b_bn.weight", "s4.b1.f.c_bn.bias"]) assert.ok(isBatchNormOrBias(n), n);
  for (const n of ["s1.b1.f.a.weight", "s1.b1.proj.weight", "s1.b1.f.se.f_ex.0.weight"]) assert.ok(!isBatchNormOrBias(n), n);
  for (const n of ["head.linear0.weight", "prototypes.weight", "trunk.s1.b0.conv_a.weight", "trunk.bnorm_like.conv.weight"]) assert.ok(!isBatchNormOrBias(n), n);
});
