/**
 * Recipe quantities the optimiser needs, in the projected JSON form the compiler hands over
 * (`{ value, unit }` durations, `{ value, per? }` rates), turned into steps and plain numbers.
 */

export type DurationUnit = "images" | "steps" | "epochs" | "%";

/** A duration as written in a recipe: `313 steps`, `10 epochs`, `7936 images`, `2.5%` (of the run). */
export interface Duration {
  value: number;
  unit: DurationUnit;
}

/** A learning rate: a plain number, or `value per N images` (scaled linearly with the global batch). */
export interface Rate {
  value: number;
  per?: { value: number; unit: string };
}

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
 * images ÷ batch, epochs × stepsPerEpoch, % × totalSteps ÷ 100, steps as they are.
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
    case "%":
      if (!Number.isFinite(run.totalSteps)) throw new Error("A percentage of the run needs the run's length in steps.");
      steps = (d.value / 100) * run.totalSteps;
      break;
  }
  if (!Number.isFinite(steps) || steps < 0) throw new Error(`Cannot turn ${d.value} ${d.unit} into steps.`);
  return Math.round(steps);
}

/** The learning rate for a global batch: `value × batch / per` for `value per N images`, else `value`. */
export function resolveRate(rate: Rate | number, batch: number): number {
  if (typeof rate === "number") return rate;
  if (!rate.per) return rate.value;
  if (rate.per.unit !== "images" || !(rate.per.value > 0)) throw new Error(`A rate must be given per a positive number of images, not per ${rate.per.value} ${rate.per.unit}.`);
  return (rate.value * batch) / rate.per.value;
}
