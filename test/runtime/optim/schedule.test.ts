/** Learning-rate schedules at chosen steps; per-256 scaling; durations to steps. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveRate, toSteps } from "../../../runtime/optim/duration.js";
import { scheduleFromRecipe } from "../../../runtime/optim/schedule.js";

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
const per256 = (value: number) => ({ resolved: value, value, per_images: 256 });

test("per-256 scaling: lr = value × batch / 256", () => {
  close(resolveRate(per256(0.3), 4096), 4.8, "0.3 per 256 at 4096");
  close(resolveRate(per256(0.3), 64), 0.075, "0.3 per 256 at 64");
  close(resolveRate({ resolved: 0.6, value: 0.6, per_images: null }, 4096), 0.6, "a plain rate is not scaled");
  close(resolveRate(0.1, 4096), 0.1, "a number");
});

test("durations to steps: steps, images ÷ batch, epochs × steps per epoch, a fraction of the run (rounded)", () => {
  const run = { stepsPerEpoch: 5005, batch: 256, totalSteps: 1000 };
  assert.equal(toSteps({ value: 313, unit: "steps" }, run), 313);
  assert.equal(toSteps({ value: 7936, unit: "images" }, run), 31);
  assert.equal(toSteps({ value: 15, unit: "epochs" }, run), 75075);
  assert.equal(toSteps({ value: 0.025, unit: "run_fraction" }, run), 25);
  assert.equal(toSteps({ value: 0.043648, unit: "run_fraction" }, run), 44);
  assert.throws(() => toSteps({ value: 0.1, unit: "run_fraction" }, { ...run, totalSteps: Number.NaN }), /length in steps/);
});

test("cosine (VISSL [rescaled, fixed]): warmup start and end, midpoint, final value", () => {
  // peak 0.3 per 256 at batch 4096 = 4.8; warmup 2.5% of 1000 steps = 25 steps from 0.6; final 0.001 × 4.8 = 0.0048
  const lr = scheduleFromRecipe(
    { kind: "cosine", warmup: { value: 0.025, unit: "run_fraction" }, warmup_from: { resolved: 0.6, value: 0.6, per_images: null }, final_factor: 0.001 },
    per256(0.3),
    { stepsPerEpoch: 100, batch: 4096, totalSteps: 1000 },
  );
  close(lr(0), 0.6, "warmup start");
  close(lr(24), 0.6 + (4.8 - 0.6) * (24 / 25), "last warmup step = 4.632");
  // First cosine step, on the global progress 25/1000: 0.0048 + 4.7952·(1 + cos(0.025π))/2 ≈ 4.7878
  close(lr(25), 0.0048 + (4.7952 * (1 + Math.cos(0.025 * Math.PI))) / 2, "end of warmup");
  assert.ok(lr(25) < 4.8 && lr(25) > 4.78);
  close(lr(500), 0.0048 + 4.7952 / 2, "midpoint = 2.4024");
  close(lr(1000), 0.0048, "final value");
  assert.ok(lr(999) > 0.0048 && lr(999) < 0.005);
});

test("cosine without warmup starts at the peak", () => {
  const lr = scheduleFromRecipe({ kind: "cosine", warmup: { value: 0, unit: "steps" }, warmup_from: { resolved: 0, value: 0, per_images: null }, final_factor: 0 }, 0.1, { stepsPerEpoch: 10, batch: 256, totalSteps: 100 });
  close(lr(0), 0.1, "start");
  close(lr(50), 0.05, "midpoint");
  close(lr(100), 0, "end");
});

test("multistep: ×gamma from each milestone on", () => {
  const lr = scheduleFromRecipe(
    { kind: "multistep", milestones: [{ value: 30, unit: "epochs" }, { value: 60, unit: "epochs" }], gamma: 0.1, warmup: { value: 0, unit: "steps" } },
    per256(0.1),
    { stepsPerEpoch: 10, batch: 256, totalSteps: 900 },
  );
  close(lr(0), 0.1, "start");
  close(lr(299), 0.1, "before the first milestone");
  close(lr(300), 0.01, "at the first milestone");
  close(lr(599), 0.01, "before the second");
  close(lr(600), 0.001, "at the second");
});

test("multistep and constant warm up linearly from 0", () => {
  const run = { stepsPerEpoch: 10, batch: 512, totalSteps: 100 };
  const ms = scheduleFromRecipe({ kind: "multistep", milestones: [{ value: 0.5, unit: "run_fraction" }], gamma: 0.5, warmup: { value: 1, unit: "epochs" } }, per256(0.1), run);
  close(ms(0), 0, "multistep warmup start");
  close(ms(5), 0.1, "half-way: 0.2 × 5/10");
  close(ms(10), 0.2, "peak 0.1 per 256 at 512");
  close(ms(50), 0.1, "milestone at 50%");
  const c = scheduleFromRecipe({ kind: "constant", warmup: { value: 10, unit: "steps" } }, 0.4, run);
  close(c(0), 0, "constant warmup start");
  close(c(5), 0.2, "half-way");
  close(c(10), 0.4, "after warmup");
  close(c(99), 0.4, "end");
});
