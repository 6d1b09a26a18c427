/** SGD and Nesterov steps by hand; optimiser state export/import is bit-exact. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Sgd } from "../../../runtime/optim/sgd.js";
import { Lars } from "../../../runtime/optim/lars.js";
import type { Optimizer } from "../../../runtime/optim/optimizer.js";
import { randomMatrix, useBackend } from "../../helpers/ssl-tf.js";

function close(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) < 1e-6, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

async function twoSteps(nesterov: boolean): Promise<[Float32Array, Float32Array]> {
  await useBackend("wasm");
  const w = tf.variable(tf.tensor1d([1, 2]));
  const opt = new Sgd(new Map([["w", w]]), { momentum: 0.9, nesterov, weightDecay: 0.01 });
  const g = new Map([["w", tf.tensor1d([0.1, 0.2])]]);
  opt.apply(g, 0.1);
  const first = w.dataSync().slice() as Float32Array;
  opt.apply(g, 0.1);
  const second = w.dataSync().slice() as Float32Array;
  tf.dispose([...g.values(), w]);
  opt.dispose();
  return [first, second];
}

test("SGD momentum 0.9, weight decay 0.01, lr 0.1, two steps by hand", async () => {
  const [first, second] = await twoSteps(false);
  // step 1: d = g + 0.01·w = [0.1, 0.2] + [0.01, 0.02] = [0.11, 0.22]; buf = d; w = [1, 2] − 0.1·buf = [0.989, 1.978]
  close(first, [0.989, 1.978], "step 1");
  // step 2: d = [0.1 + 0.00989, 0.2 + 0.01978] = [0.10989, 0.21978]
  //   buf = 0.9·[0.11, 0.22] + d = [0.20889, 0.41778]; w = [0.989, 1.978] − 0.1·buf = [0.968111, 1.936222]
  close(second, [0.968111, 1.936222], "step 2");
});

test("Nesterov: the step is d + momentum·buf", async () => {
  const [first, second] = await twoSteps(true);
  // step 1: d = [0.11, 0.22]; buf = d; step = d + 0.9·buf = [0.209, 0.418]; w = [1, 2] − 0.1·step = [0.9791, 1.9582]
  close(first, [0.9791, 1.9582], "step 1");
  // step 2: d = [0.1 + 0.009791, 0.2 + 0.019582] = [0.109791, 0.219582]
  //   buf = 0.9·[0.11, 0.22] + d = [0.208791, 0.417582]
  //   step = d + 0.9·buf = [0.2977029, 0.5954058]; w = [0.9791, 1.9582] − 0.1·step = [0.94932971, 1.89865942]
  close(second, [0.94932971, 1.89865942], "step 2");
});

for (const kind of ["sgd", "lars"] as const) {
  test(`${kind}: export → import → the next step is bit-identical`, async () => {
    await useBackend("wasm");
    const init = randomMatrix(31, 4, 3);
    const make = () => {
      const params = new Map<string, tf.Variable>([
        ["a.weight", tf.variable(tf.tensor2d(init, [4, 3]))],
        ["a.bias", tf.variable(tf.tensor1d([0.5, -0.25, 1]))],
      ]);
      const opt: Optimizer = kind === "sgd" ? new Sgd(params, { momentum: 0.9, nesterov: true, weightDecay: 1e-4 }) : new Lars(params, { momentum: 0.9, weightDecay: 1e-6, trust: 0.001, exclude: (n) => n.endsWith(".bias") });
      return { params, opt };
    };
    const grads = (seed: number) =>
      new Map<string, tf.Tensor>([
        ["a.weight", tf.tensor2d(randomMatrix(seed, 4, 3), [4, 3])],
        ["a.bias", tf.tensor1d(randomMatrix(seed + 1, 1, 3))],
      ]);
    const a = make();
    for (const s of [40, 41, 42]) {
      const g = grads(s);
      a.opt.apply(g, 0.3);
      tf.dispose([...g.values()]);
    }
    // A fresh optimiser on copies of the parameters, with the exported state.
    const b = make();
    for (const [n, v] of a.params) b.params.get(n)!.assign(tf.tensor(v.dataSync().slice(), v.shape));
    b.opt.importState(a.opt.exportState());
    const g = grads(43);
    a.opt.apply(g, 0.25);
    b.opt.apply(g, 0.25);
    tf.dispose([...g.values()]);
    for (const [n, v] of a.params) assert.deepEqual(b.params.get(n)!.dataSync(), v.dataSync(), n);
    assert.deepEqual(b.opt.exportState(), a.opt.exportState());
    assert.throws(() => b.opt.importState({ "a.weight": new Float32Array(12) }), /lacks the buffer of `a.bias`/);
    assert.throws(() => b.opt.importState({ ...a.opt.exportState(), "x.weight": new Float32Array(1) }), /unknown parameter `x.weight`/);
    for (const o of [a, b]) {
      o.opt.dispose();
      for (const v of o.params.values()) v.dispose();
    }
  });
}
