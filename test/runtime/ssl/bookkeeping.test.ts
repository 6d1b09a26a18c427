/** Assigning crops, resolution groups, collapse detection. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assigningCrops, resolutionGroups } from "../../../runtime/ssl/crops.js";
import { CollapseDetector } from "../../../runtime/ssl/collapse.js";
import { useBackend } from "../../helpers/ssl-tf.js";

test("assigning crops: all crops of the first group with count >= 2", () => {
  assert.deepEqual(assigningCrops([{ count: 2 }, { count: 6 }]), [0, 1]);
  assert.deepEqual(assigningCrops([{ count: 1 }, { count: 3 }, { count: 4 }]), [1, 2, 3]);
  assert.throws(() => assigningCrops([{ count: 1 }, { count: 1 }]), /count >= 2/);
});

test("resolution groups: runs of consecutive crops of equal shape", async () => {
  await useBackend("cpu");
  const crops = [4, 4, 2, 2, 2, 4].map((s) => tf.zeros([3, s, s, 3]) as tf.Tensor4D);
  assert.deepEqual(resolutionGroups(crops), [
    { start: 0, count: 2 },
    { start: 2, count: 3 },
    { start: 5, count: 1 },
  ]);
  tf.dispose(crops);
});

test("collapse detector: warns once after `patience` steps within `tolerance` of ln K, re-arms after leaving", () => {
  const warnings: string[] = [];
  const d = new CollapseDetector({ prototypes: 3000, tolerance: 0.01, patience: 3, warn: (m) => warnings.push(m) });
  const lnK = Math.log(3000);
  const seq = [5, lnK, lnK + 0.005, lnK - 0.009, lnK, lnK, 7, lnK, lnK, lnK];
  const fired = seq.map((loss, step) => d.observe(loss, step));
  assert.deepEqual(fired, [false, false, false, true, false, false, false, false, false, true]);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /ln K = 8\.006 .* for 3 steps \(step 3\)/);
});
