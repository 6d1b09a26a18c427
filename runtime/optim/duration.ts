/** A stage spec's durations and rates (contract/specs.ts) turned into steps and plain numbers. */
import type { DurationSpec, RateSpec } from "../../contract/specs.js";

/** A length of training, in the contract's units (contract/specs.ts). */
export type Duration = DurationSpec;
export type DurationUnit = DurationSpec["unit"];

/** A learning rate and the per-N-images rule that scales it (contract/specs.ts). */
export type Rate = RateSpec;

/** What converting a duration to steps needs to know about the run. */
export interface RunShape {
  /** Optimiser steps in one epoch. */
  stepsPerEpoch: number;
  /** Global batch in images. */
  batch: number;
  /** Length of the whole run in steps (for `%` durations). */
  totalSteps: number;
}

/**
 * A duration in optimiser steps, rounded to the nearest whole step:
 * images ÷ batch, epochs × stepsPerEpoch, run_fraction × totalSteps, steps as they are.
 */
export function toSteps(d: Duration, run: RunShape): number {
  let steps: number;
  switch (d.unit) {
    case "steps":
      steps = d.value;
      break;
    case "images":
      steps = d.value / run.batch;
      break;
    case "epochs":
      steps = d.value * run.stepsPerEpoch;
      break;
    case "run_fraction":
      if (!Number.isFinite(run.totalSteps)) throw new Error("A fraction of the run needs the run's length in steps.");
      steps = d.value * run.totalSteps;
      break;
  }
  if (!Number.isFinite(steps) || steps < 0) throw new Error(`Cannot turn ${d.value} ${d.unit} into steps.`);
  return Math.round(steps);
}

/**
 * The learning rate for a global batch: `value × batch / per_images` for a per-images rate,
 * else `value` (a spec's `resolved` is this for its declared batch; a probe on fewer images than
 * its batch runs, and scales, a smaller one).
 */
export function resolveRate(rate: Rate | number, batch: number): number {
  if (typeof rate === "number") return rate;
  if (rate.per_images === null) return rate.value;
  return (rate.value * batch) / rate.per_images;
}
