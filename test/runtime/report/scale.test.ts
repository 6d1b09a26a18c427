/** Plot scales: nice ticks, flat and empty domains, tick labels, thinning long curves. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { extent, formatTick, niceTicks } from "../../../runtime/report/svg/scale.js";
import { thin } from "../../../runtime/report/svg/lines.js";

test("ticks are 1, 2 or 5 times a power of ten and cover the data", () => {
  assert.deepEqual(niceTicks({ lo: 3.26, hi: 4.19 }, 5).ticks, [3.2, 3.4, 3.6, 3.8, 4, 4.2]);
  assert.deepEqual(niceTicks({ lo: 1, hi: 150 }, 6).ticks, [0, 20, 40, 60, 80, 100, 120, 140, 160]);
  assert.deepEqual(niceTicks({ lo: 0, hi: 0.3 }, 5).ticks, [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  assert.deepEqual(niceTicks({ lo: -4.5, hi: 78.5 }, 5).ticks, [-20, 0, 20, 40, 60, 80]);
});

test("empty and flat domains get an extent; non-finite values are ignored", () => {
  assert.deepEqual(extent([]), { lo: 0, hi: 1 });
  assert.deepEqual(extent([0, 0]), { lo: 0, hi: 1 });
  assert.deepEqual(extent([2, 2]), { lo: 1.8, hi: 2.2 });
  assert.deepEqual(extent([Number.NaN, 1, Infinity, 3]), { lo: 1, hi: 3 });
  assert.deepEqual(extent([5], [0]), { lo: 0, hi: 5 });
  const t = niceTicks({ lo: 1, hi: 1 });
  assert.ok(t.ticks.length > 0 && t.ticks.every(Number.isFinite));
});

test("tick labels: decimals from the step, k for thousands, exponents for tiny steps", () => {
  assert.equal(formatTick(0.15, 0.05), "0.15");
  assert.equal(formatTick(3.4, 0.2), "3.4");
  assert.equal(formatTick(40, 20), "40");
  assert.equal(formatTick(20000, 5000), "20k");
  assert.equal(formatTick(2e-5, 1e-5), "2.0e-5");
  assert.equal(formatTick(0, 0.1), "0");
});

test("long curves are thinned to at most 1000 points keeping the ends and the spikes", () => {
  const points = Array.from({ length: 100_000 }, (_, i) => ({ x: i, y: i === 54_321 ? 99 : 1 }));
  const out = thin(points);
  assert.ok(out.length <= 1000, `${out.length}`);
  assert.equal(out[0]!.x, 0);
  assert.equal(out.at(-1)!.x, 99_999);
  assert.ok(out.some((p) => p.y === 99), "the spike survives");
  assert.ok(out.every((p, i) => i === 0 || p.x > out[i - 1]!.x), "in order");
});
