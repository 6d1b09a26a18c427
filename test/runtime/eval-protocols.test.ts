// Evaluation protocols on small hand-made feature sets.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { SplitFeatures } from "../../runtime/eval/features-job.js";
import { fairnessEval, knnEval, linearEval, robustnessEval } from "../../runtime/eval/protocols.js";
import { loadWasm } from "./tfjs-helpers.js";

await loadWasm();

/** Class c sits at a one-hot direction (+ noise); group g shifts the points, making group 1 harder. */
function split(n: number, classes: number, noise: number, salt: number): SplitFeatures {
  const dim = classes;
  const data = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    const g = Math.floor(i / classes) % 2;
    labels[i] = c;
    group[i] = g;
    for (let j = 0; j < dim; j++) {
      const r = Math.sin((i + 1) * 12.9898 + j * 78.233 + salt) * 43758.5453;
      const u = r - Math.floor(r) - 0.5;
      data[i * dim + j] = (j === c ? 1 : 0) + u * noise * (g === 1 ? 4 : 1);
    }
  }
  return { data, n, dim, labels, attributes: { group } };
}

const cfg = (classes: number) => ({
  classes,
  epochs: 15,
  batch: 32,
  optimizer: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0 },
  schedule: { kind: "constant" as const, warmup: { value: 0, unit: "steps" as const } },
  seed: 0,
});

test("linear, k-NN, fairness and robustness metrics are named EVAL.METRIC and behave", () => {
  const train = split(240, 6, 0.3, 1);
  const testSet = split(120, 6, 0.3, 2);
  const lin = linearEval("linear", train, testSet, cfg(6));
  assert.deepEqual(Object.keys(lin.metrics), ["linear.top1", "linear.top5"]);
  assert.ok(lin.metrics["linear.top1"]! > 80, JSON.stringify(lin.metrics));
  const knn = knnEval("neighbours", train, testSet, { k: 10, temperature: 0.07, classes: 6 });
  assert.ok(knn["neighbours.top1"]! > 80, JSON.stringify(knn));
  const fair = fairnessEval("fair", lin.scores, testSet, ["group"]);
  assert.ok("fair.group.0" in fair && "fair.group.1" in fair && "fair.group.gap" in fair && "fair.group.worst" in fair);
  assert.ok(fair["fair.group.0"]! >= fair["fair.group.1"]!, "the noisier group is the worse one");
  assert.equal(fair["fair.group.gap"], fair["fair.group.0"]! - fair["fair.group.1"]!);
  assert.throws(() => fairnessEval("fair", lin.scores, testSet, ["income"]), /no attribute `income`/);
  const shifted = split(120, 6, 2.5, 3);
  const rob = robustnessEval("shift", lin.probe, [{ name: "clean", features: testSet }, { name: "shifted", features: shifted }]);
  assert.equal(rob["shift.clean.drop"], 0);
  assert.ok(rob["shift.shifted.drop"]! > 0, `a noisier test set shows a drop: ${JSON.stringify(rob)}`);
  // A subset_of test set (only classes 0 and 1): masking the outputs to those classes can only help.
  const keep = Array.from(shifted.labels.keys()).filter((i) => shifted.labels[i]! < 2);
  const subset: SplitFeatures = { n: keep.length, dim: shifted.dim, data: Float32Array.from(keep.flatMap((i) => Array.from(shifted.data.subarray(i * shifted.dim, (i + 1) * shifted.dim)))), labels: Int32Array.from(keep, (i) => shifted.labels[i]!), attributes: {} };
  const plain = robustnessEval("shift", lin.probe, [{ name: "subset", features: subset }]);
  const masked = robustnessEval("shift", lin.probe, [{ name: "subset", features: subset, mask: new Set([0, 1]) }]);
  assert.ok(masked["shift.subset.top1"]! >= plain["shift.subset.top1"]!, `${JSON.stringify(masked)} vs ${JSON.stringify(plain)}`);
  assert.ok(masked["shift.subset.top1"]! > plain["shift.subset.top1"]!, "masking changes the answer on this noisy set");
  lin.probe.dispose();
});

test("fairness groups are named by the attribute's values when the test set gives them, else by code", () => {
  const train = split(120, 3, 0.3, 4);
  const testSet = split(60, 3, 0.3, 5);
  const lin = linearEval("linear", train, testSet, cfg(3));
  const byCode = fairnessEval("fair", lin.scores, testSet, ["group"]);
  const byValue = fairnessEval("fair", lin.scores, { ...testSet, attributeValues: { group: ["low", "high"] } }, ["group"]);
  assert.deepEqual(Object.keys(byCode).sort(), ["fair.group.0", "fair.group.1", "fair.group.gap", "fair.group.worst"]);
  assert.deepEqual(byValue, { "fair.group.low": byCode["fair.group.0"], "fair.group.high": byCode["fair.group.1"], "fair.group.gap": byCode["fair.group.gap"], "fair.group.worst": byCode["fair.group.worst"] });
  lin.probe.dispose();
});
