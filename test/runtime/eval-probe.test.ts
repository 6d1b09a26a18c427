// The linear probe learns separable classes, is deterministic, and leaks no tensors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { LinearProbe, permutation, ProbeDivergedError, type ProbeConfig } from "../../runtime/eval/linear-probe.js";
import { topKAccuracy } from "../../runtime/eval/metrics.js";
import { loadWasm } from "./tfjs-helpers.js";

await loadWasm();

/** Three Gaussian blobs in 8-d, with an offset and scale the BN has to undo. */
function blobs(n: number, seed: number): { data: Float32Array; labels: number[] } {
  const data = new Float32Array(n * 8);
  const labels: number[] = [];
  const p = permutation(n * 8, seed, 0);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels.push(c);
    for (let j = 0; j < 8; j++) {
      const noise = (p[i * 8 + j]! / (n * 8) - 0.5) * 1.2;
      data[i * 8 + j] = 50 + 10 * ((j % 3 === c ? 1 : 0) + noise);
    }
  }
  return { data, labels };
}

const cfg: ProbeConfig = {
  classes: 3,
  epochs: 10,
  batch: 32,
  optimizer: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 5e-4 },
  schedule: { kind: "multistep", milestones: [{ value: 0.6, unit: "run_fraction" }, { value: 0.8, unit: "run_fraction" }], gamma: 0.1, warmup: { value: 0, unit: "steps" } },
  seed: 1,
};

test("the probe separates three blobs (>= 95% top-1 on held-out points), deterministically, without leaks", () => {
  const train = blobs(300, 1);
  const testSet = blobs(150, 2);
  const before = tf.memory().numTensors;
  const run = () => {
    const probe = new LinearProbe(8, 3, 7);
    const losses = probe.train({ data: train.data, n: 300, dim: 8 }, train.labels, cfg);
    const scores = probe.predict({ data: testSet.data, n: 150, dim: 8 });
    probe.dispose();
    return { losses, acc: topKAccuracy(scores, testSet.labels, 1), scores };
  };
  const a = run();
  assert.ok(a.losses[a.losses.length - 1]! < a.losses[0]!, `loss falls: ${a.losses.map((l) => l.toFixed(3)).join(" ")}`);
  assert.ok(a.acc >= 95, `accuracy ${a.acc}`);
  const b = run();
  assert.deepEqual(Array.from(b.scores.data), Array.from(a.scores.data), "same seed, same probe");
  assert.equal(tf.memory().numTensors, before);
});

test("permutation is a seeded shuffle of 0..n-1", () => {
  const p = permutation(100, 3, 0);
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(Array.from(permutation(100, 3, 0)), Array.from(p));
  assert.notDeepEqual(Array.from(permutation(100, 3, 1)), Array.from(p));
});

test("a diverging probe is an error, not a number", () => {
  const train = blobs(300, 1);
  const probe = new LinearProbe(8, 3, 7);
  assert.throws(() => probe.train({ data: train.data, n: 300, dim: 8 }, train.labels, { ...cfg, optimizer: { ...cfg.optimizer, lr: 1e6 } }), ProbeDivergedError);
  probe.dispose();
});
