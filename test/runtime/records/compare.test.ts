/** compareMetrics: tolerance edges, per-metric tolerances, missing metrics, the table. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareMetrics, renderComparison, toleranceFor } from "../../../runtime/records/compare.js";
import type { Metrics } from "../../../runtime/records/record.js";

const one = (top1: number, top5 = 90): Metrics => ({ s: { "swav.pool": { "linear.top1": top1, "knn.top5": top5 } } });

test("|delta| equal to the tolerance passes, even when float subtraction overshoots it", () => {
  assert.equal(8.3 - 7.3 > 1, true, "the float trap this guards against");
  const up = compareMetrics(one(7.3), one(8.3), 1);
  assert.equal(up.ok, true);
  assert.equal(up.rows[0]!.tolerance, 1);
  assert.equal(compareMetrics(one(8.3), one(7.3), 1).ok, true);
  assert.equal(compareMetrics(one(0.1), one(0.4), { "linear.top1": 0.3, "*": 0 }).ok, true);
  const over = compareMetrics(one(41.2), one(42.21), 1);
  assert.equal(over.ok, false);
  assert.deepEqual(over.rows.map((r) => r.ok), [false, true]);
});

test("tolerance 0: identical values pass, any difference fails", () => {
  assert.equal(compareMetrics(one(41.25), one(41.25), 0).ok, true);
  assert.equal(compareMetrics(one(41.25), one(41.26), 0).ok, false);
  assert.equal(compareMetrics(one(41.25), one(41.25), {}).ok, true);
});

test("per-metric tolerances: `EVAL.METRIC`, then `EVAL.*`, then `*`, else exact", () => {
  const t = { "linear.top1": 2, "knn.*": 0.5, "*": 1 };
  assert.equal(toleranceFor("linear.top1", t), 2);
  assert.equal(toleranceFor("knn.top5", t), 0.5);
  assert.equal(toleranceFor("linear.top5", t), 1);
  assert.equal(toleranceFor("linear.top5", { "linear.top1": 2 }), 0);
  assert.equal(toleranceFor("anything", 3), 3);
  const c = compareMetrics(one(40, 90), one(42, 90.5), { "linear.top1": 2, "*": 0.5 });
  assert.deepEqual(c.rows.map((r) => [r.metric, r.delta, r.tolerance, r.ok]), [["linear.top1", 2, 2, true], ["knn.top5", 0.5, 0.5, true]]);
  assert.equal(compareMetrics(one(40, 90), one(42, 90.5), { "linear.top1": 2 }).ok, false, "knn.top5 unlisted: exact");
});

test("a metric missing on either side is not ok", () => {
  const fresh: Metrics = { s: { "swav.pool": { "linear.top1": 41 } }, t: { r: { "fair.gap": 3 } } };
  const c = compareMetrics(one(41), fresh, 100);
  assert.equal(c.ok, false);
  assert.deepEqual(c.rows.map((r) => [r.suite, r.metric, r.recorded, r.fresh, r.delta, r.ok]), [
    ["s", "linear.top1", 41, 41, 0, true],
    ["s", "knn.top5", 90, null, null, false],
    ["t", "fair.gap", null, 3, null, false],
  ]);
  assert.deepEqual(compareMetrics({}, {}, 0), { rows: [], ok: true });
});

test("a negative or non-finite tolerance is refused", () => {
  assert.throws(() => compareMetrics(one(1), one(1), -1), /The tolerance for `tolerance` must be a number of at least 0, not -1\./);
  assert.throws(() => compareMetrics(one(1), one(1), { "*": Number.NaN }), /tolerance for `\*`/);
});

test("renderComparison: aligned table and a verdict", () => {
  const text = renderComparison(compareMetrics(one(41.2), { s: { "swav.pool": { "linear.top1": 43 } } }, 1));
  assert.equal(
    text,
    [
      "suite  row        metric       recorded  fresh  delta  tolerance  result",
      "-----  ---------  -----------  --------  -----  -----  ---------  -------",
      "s      swav.pool  linear.top1     41.20  43.00  +1.80          1  FAIL",
      "s      swav.pool  knn.top5        90.00      -      -          1  MISSING",
      "",
      "2 of 2 metric(s) outside tolerance (1 missing on one side).",
      "",
    ].join("\n"),
  );
  assert.equal(renderComparison(compareMetrics(one(1), one(1), 0)).split("\n").at(-2), "All 2 metric(s) within tolerance.");
});
