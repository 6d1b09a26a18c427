/**
 * The numbers a researcher checks by eye before a pretraining starts (issue #16): steps per
 * epoch, total and warmup steps, images seen, per-device batch, and the learning rate after its
 * per-N-images scaling. They come from the runtime's own conversions (runtime/optim/duration.ts),
 * so the plan says what the engines will do.
 */
import { isKind, type ExecGraph } from "../../../contract/graph.js";
import type { PretrainSwavSpec, RateSpec } from "../../../contract/specs.js";
import { declaredSizes } from "../../../runtime/data/plan-sizes.js";
import { resolveRate, toSteps } from "../../../runtime/optim/duration.js";

export interface ScheduleFacts {
  /** Images of the pretraining's data; null when not known (no data, no declared size). */
  images: number | null;
  batch: number;
  per_device_batch: number;
  steps_per_epoch: number | null;
  total_steps: number | null;
  warmup_steps: number | null;
  images_seen: number | null;
  /** The peak learning rate for the global batch. */
  peak_lr: number;
  /** Where a cosine warmup starts; null for other schedules. */
  warmup_from_lr: number | null;
}

function stepsOrNull(f: () => number): number | null {
  try {
    return f();
  } catch {
    return null;
  }
}

export function scheduleFacts(spec: PretrainSwavSpec, images: number | undefined, devices: number): ScheduleFacts {
  const batch = spec.batch;
  const stepsPerEpoch = images === undefined ? null : Math.max(1, Math.floor(images / batch));
  const shape = { stepsPerEpoch: stepsPerEpoch ?? Number.NaN, batch, totalSteps: Number.NaN };
  const total = spec.duration.unit === "epochs" && stepsPerEpoch === null ? null : stepsOrNull(() => toSteps(spec.duration, shape));
  const warmup = spec.schedule.warmup.unit === "epochs" && stepsPerEpoch === null ? null : stepsOrNull(() => toSteps(spec.schedule.warmup, { ...shape, totalSteps: total ?? Number.NaN }));
  return {
    images: images ?? null,
    batch,
    per_device_batch: batch / Math.max(1, devices),
    steps_per_epoch: stepsPerEpoch,
    total_steps: total,
    warmup_steps: warmup,
    images_seen: total === null ? null : total * batch,
    peak_lr: resolveRate(spec.optimizer.lr, batch),
    warmup_from_lr: spec.schedule.kind === "cosine" ? resolveRate(spec.schedule.warmup_from, batch) : null,
  };
}

const count = (n: number | null): string => (n === null ? "?" : n.toLocaleString("en-US"));
const rate = (r: RateSpec): string => (r.per_images === null ? String(r.value) : `${r.value} per ${r.per_images} images`);
const lr = (n: number): string => Number(n.toPrecision(4)).toString();

/** `3,200 images / batch 64 (64 per device) = 50 steps per epoch; 2,000 steps (warmup 50), 128,000 images seen; peak lr 0.15 (0.6 per 256 images)`. */
export function scheduleLine(spec: PretrainSwavSpec, f: ScheduleFacts): string {
  const from = f.warmup_from_lr !== null && f.warmup_steps ? `, warmup from ${lr(f.warmup_from_lr)}` : "";
  return `${count(f.images)} images / batch ${count(f.batch)} (${count(f.per_device_batch)} per device) = ${count(f.steps_per_epoch)} steps per epoch; ${count(f.total_steps)} steps (warmup ${count(f.warmup_steps)}), ${count(f.images_seen)} images seen; peak lr ${lr(f.peak_lr)} (${rate(spec.optimizer.lr)})${from}`;
}

/** `2,000 steps (warmup 50), 128,000 images seen, peak lr 0.15`, for a graph's drawing. */
export function scheduleNote(f: ScheduleFacts): string {
  return `${count(f.total_steps)} steps (warmup ${count(f.warmup_steps)}), ${count(f.images_seen)} images seen, peak lr ${lr(f.peak_lr)}`;
}

/**
 * Each pretraining's facts from the recipe alone (`seer render`): its data's size where the
 * declaration gives it (a synthetic dataset, or `images = N`), else steps stay unknown.
 */
export function declaredScheduleFacts(graph: ExecGraph): Map<string, ScheduleFacts> {
  const out = new Map<string, ScheduleFacts>();
  for (const s of graph.stages) {
    if (!isKind(s, "pretrain-swav")) continue;
    const data = graph.stages.find((d) => d.name === s.spec.data.stage);
    const sizes = data && isKind(data, "prepare-data") ? declaredSizes(data.spec) : null;
    const images = sizes === null ? undefined : s.spec.data.split === null ? sizes.images : sizes.splits[s.spec.data.split];
    out.set(s.name.replace(/^pretrain\//, ""), scheduleFacts(s.spec, images, Math.max(1, s.resources.gpus)));
  }
  return out;
}
