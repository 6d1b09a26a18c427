// Metrics on hand-computed examples (the arithmetic is written out in the comments).
import { test } from "node:test";
import assert from "node:assert/strict";
import { averagePrecision, groupBreakdown, knnScores, l2NormalizeRows, meanAveragePrecision, rankByCosine, topKAccuracy, topKHits, type Scores } from "../../runtime/eval/metrics.js";

const scores = (rows: number[][]): Scores => ({ data: Float32Array.from(rows.flat()), n: rows.length, classes: rows[0]!.length });

test("top-1 and top-2 accuracy, ties broken by the lower class index", () => {
  const s = scores([
    [0.1, 0.7, 0.2], // label 1: top-1 hit
    [0.5, 0.3, 0.2], // label 1: second -> top-2 hit only
    [0.2, 0.2, 0.6], // label 0: tie with class 1 at 0.2, class 2 above; lower index wins the tie -> rank 2
    [0.4, 0.4, 0.2], // label 1: tie with class 0, which has the lower index -> rank 2
  ]);
  const labels = [1, 1, 0, 1];
  assert.deepEqual(topKHits(s, labels, 1), [true, false, false, false]);
  assert.equal(topKAccuracy(s, labels, 1), 25);
  assert.equal(topKAccuracy(s, labels, 2), 100);
});

test("masked accuracy: outputs restricted to a subset's classes (robustness on subset_of test sets)", () => {
  // Class 0 scores highest everywhere, but the test set only has classes {1, 2}.
  const s = scores([
    [0.9, 0.6, 0.1], // label 1: masked argmax over {1,2} is 1 -> hit (unmasked: miss)
    [0.9, 0.2, 0.5], // label 2: masked argmax is 2 -> hit
    [0.9, 0.4, 0.3], // label 2: masked argmax is 1 -> miss
  ]);
  const labels = [1, 2, 2];
  assert.equal(topKAccuracy(s, labels, 1), 0);
  assert.ok(Math.abs(topKAccuracy(s, labels, 1, new Set([1, 2])) - 200 / 3) < 1e-9);
});

test("k-NN: the k nearest vote with weight exp(sim / temperature)", () => {
  // 2-d unit vectors. Train: a=(1,0) label 0; b=(0.8,0.6) label 1; c=(0.6,0.8) label 1; d=(0,1) label 0.
  const train = Float32Array.from([1, 0, 0.8, 0.6, 0.6, 0.8, 0, 1]);
  const labels = [0, 1, 1, 0];
  const q = Float32Array.from([1, 0]); // similarities: a 1.0, b 0.8, c 0.6, d 0.0
  // k = 3, T = 0.1: class 0 gets e^(1.0/0.1) = e^10; class 1 gets e^8 + e^6.
  const s = knnScores(train, labels, q, 2, { k: 3, temperature: 0.1, classes: 2 });
  assert.ok(Math.abs(s.data[0]! - Math.exp(10)) / Math.exp(10) < 1e-6);
  assert.ok(Math.abs(s.data[1]! - (Math.exp(8) + Math.exp(6))) / Math.exp(8) < 1e-6);
  // With T = 1 the two class-1 neighbours outvote: e^0.8 + e^0.6 = 4.048 > e^1 = 2.718.
  const warm = knnScores(train, labels, q, 2, { k: 3, temperature: 1, classes: 2 });
  assert.equal(topKAccuracy(warm, [1], 1), 100);
  assert.equal(topKAccuracy(s, [0], 1), 100);
});

test("l2NormalizeRows leaves zero rows at zero", () => {
  assert.deepEqual(Array.from(l2NormalizeRows(Float32Array.from([3, 4, 0, 0]), 2)), [0.6000000238418579, 0.800000011920929, 0, 0]);
});

test("per-group accuracy, best minus worst gap and the worst group", () => {
  // Group "low": 1 of 4 right (25%); "mid": 2 of 2 (100%); "high": 2 of 3 (66.7%).
  const hits = [true, false, false, false, true, true, true, true, false];
  const groups = ["low", "low", "low", "low", "mid", "mid", "high", "high", "high"];
  const b = groupBreakdown(hits, groups);
  assert.deepEqual(b.counts, { high: 3, low: 4, mid: 2 });
  assert.equal(b.groups["low"], 25);
  assert.equal(b.groups["mid"], 100);
  assert.ok(Math.abs(b.groups["high"]! - 200 / 3) < 1e-9);
  assert.equal(b.gap, 75);
  assert.equal(b.worst, "low");
  assert.equal(b.best, "mid");
  assert.deepEqual(Object.keys(groupBreakdown([true, true], [10, 2]).groups), ["2", "10"], "numeric group names sort numerically");
});

test("average precision of a known ranking, with and without distractors", () => {
  // Relevant at ranks 1, 3 and 6 of 3 relevant: AP = (1/1 + 2/3 + 3/6) / 3 = 0.7222...
  assert.ok(Math.abs(averagePrecision([true, false, true, false, false, true], 3) - (1 + 2 / 3 + 0.5) / 3) < 1e-12);
  // A relevant item never retrieved counts as a miss: (1/1) / 2 = 0.5.
  assert.equal(averagePrecision([true, false, false], 2), 0.5);
  // Distractors pushed above the only relevant item at rank 4: AP = 1/4.
  assert.equal(averagePrecision([false, false, false, true], 1), 0.25);
  // mAP over the two queries in percent: (72.22 + 25) / 2 = 48.61.
  const m = meanAveragePrecision([{ ranked: [true, false, true, false, false, true], relevant: 3 }, { ranked: [false, false, false, true], relevant: 1 }]);
  assert.ok(Math.abs(m - (100 * ((1 + 2 / 3 + 0.5) / 3 + 0.25)) / 2) < 1e-9);
});

test("cosine ranking orders the database by similarity to each query", () => {
  const db = l2NormalizeRows(Float32Array.from([1, 0, 0, 1, 1, 1]), 2);
  const q = l2NormalizeRows(Float32Array.from([1, 0.1, 0, 1]), 2);
  const ranks = rankByCosine(q, db, 2);
  assert.deepEqual(Array.from(ranks[0]!), [0, 2, 1]);
  assert.deepEqual(Array.from(ranks[1]!), [1, 2, 0]);
});

test("non-finite scores (a diverged model) are misses, never hits", () => {
  const s = scores([
    [NaN, NaN, NaN],
    [0.1, NaN, 0.2],
    [0.1, 0.9, Infinity],
  ]);
  assert.deepEqual(topKHits(s, [0, 1, 1], 1), [false, false, false]);
  assert.equal(topKAccuracy(s, [0, 1, 1], 3), 0);
});
