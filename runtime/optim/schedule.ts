/**
 * Learning-rate schedules, evaluated per optimiser step (0-based).
 *
 * cosine (VISSL's composite [linear, cosine] with `interval_scaling: [rescaled, fixed]`):
 *   progress p = step / totalSteps
 *   step <  W: lr = from + (peak − from)·step/W                      (linear warmup)
 *   step >= W: lr = final + (peak − final)·(1 + cos(π·p))/2, final = finalFactor·peak
 *   The cosine runs on the progress of the whole run; it does not restart after the warmup,
 *   so lr(W) is slightly below the peak when there is a warmup. lr(totalSteps) = final.
 * multistep: linear warmup from 0 to the peak over W steps, then peak·gamma^(milestones ≤ step).
 * constant:  linear warmup from 0 to the peak over W steps, then the peak.
 */
import type { ScheduleSpec } from "../../contract/specs.js";
import { resolveRate, toSteps, type Rate, type RunShape } from "./duration.js";

export type LearningRate = (step: number) => number;

export interface CosineOptions {
  peak: number;
  totalSteps: number;
  warmupSteps?: number;
  warmupFrom?: number;
  finalFactor?: number;
}

export function cosineSchedule(o: CosineOptions): LearningRate {
  const warmup = o.warmupSteps ?? 0;
  const from = o.warmupFrom ?? 0;
  const final = (o.finalFactor ?? 0.001) * o.peak;
  if (!(o.totalSteps > 0)) throw new Error("A cosine schedule needs a positive number of steps.");
  return (step) => {
    if (step < warmup) return from + ((o.peak - from) * step) / warmup;
    const p = Math.min(step / o.totalSteps, 1);
    return final + ((o.peak - final) * (1 + Math.cos(Math.PI * p))) / 2;
  };
}

export interface MultistepOptions {
  peak: number;
  /** Steps at which the rate is multiplied by gamma (from that step on). */
  milestones: readonly number[];
  gamma: number;
  warmupSteps?: number;
}

export function multistepSchedule(o: MultistepOptions): LearningRate {
  const warmup = o.warmupSteps ?? 0;
  const milestones = [...o.milestones].sort((a, b) => a - b);
  return (step) => {
    if (step < warmup) return (o.peak * step) / warmup;
    let lr = o.peak;
    for (const m of milestones) if (step >= m) lr *= o.gamma;
    return lr;
  };
}

export function constantSchedule(o: { peak: number; warmupSteps?: number }): LearningRate {
  const warmup = o.warmupSteps ?? 0;
  return (step) => (step < warmup ? (o.peak * step) / warmup : o.peak);
}

/** A schedule as a stage spec states it (contract/specs.ts). */
export type { ScheduleSpec } from "../../contract/specs.js";

/**
 * The per-step learning rate of a recipe: `lr` (and a cosine's `warmup_from`) resolved for the
 * global batch (`X per 256 images` → X·batch/256), durations converted with `toSteps`.
 */
export function scheduleFromRecipe(spec: ScheduleSpec, lr: Rate | number, run: RunShape): LearningRate {
  const peak = resolveRate(lr, run.batch);
  const warmupSteps = toSteps(spec.warmup, run);
  switch (spec.kind) {
    case "cosine":
      return cosineSchedule({ peak, totalSteps: run.totalSteps, warmupSteps, warmupFrom: resolveRate(spec.warmup_from, run.batch), finalFactor: spec.final_factor });
    case "multistep":
      return multistepSchedule({ peak, gamma: spec.gamma, warmupSteps, milestones: spec.milestones.map((m) => toSteps(m, run)) });
    case "constant":
      return constantSchedule({ peak, warmupSteps });
  }
}
