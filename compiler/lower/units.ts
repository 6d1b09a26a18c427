/**
 * From the checker's projected values (`{ value, unit }` quantities, `{ value, per }` rates,
 * `$ctor` records, defaults filled in) to the contract's base units. The only place that reads
 * that format for the runtime's sake.
 */
import type { DurationSpec, OptimizerSpec, RateSpec, ScheduleSpec } from "../../contract/specs.js";
import { isObject, magnitude, type Json, type JsonObject } from "../../core/json.js";

/** A checked value the checker guarantees is present and well formed; a failure here is a bug in seer. */
export class LoweringError extends Error {
  override name = "LoweringError";
}

export function obj(v: Json | undefined, what: string): JsonObject {
  if (!isObject(v)) throw new LoweringError(`${what} is not a record`);
  return v;
}

export function num(v: Json | undefined, what: string): number {
  const n = magnitude(v);
  if (typeof n !== "number" || !Number.isFinite(n)) throw new LoweringError(`${what} is not a number`);
  return n;
}

export function str(v: Json | undefined, what: string): string {
  if (typeof v !== "string") throw new LoweringError(`${what} is not a string`);
  return v;
}

export const optStr = (v: Json | undefined, what: string): string | null => (v === undefined || v === null ? null : str(v, what));
export const optNum = (v: Json | undefined, what: string): number | null => (v === undefined || v === null ? null : num(v, what));

export function bool(v: Json | undefined, what: string): boolean {
  if (typeof v !== "boolean") throw new LoweringError(`${what} is not a boolean`);
  return v;
}

export function strings(v: Json | undefined, what: string): string[] {
  if (!Array.isArray(v)) throw new LoweringError(`${what} is not a list`);
  return v.map((x, i) => str(x, `${what}[${i}]`));
}

export function list(v: Json | undefined, what: string): Json[] {
  if (!Array.isArray(v)) throw new LoweringError(`${what} is not a list`);
  return v;
}

/** `[lo, hi]` of a checked range `{ from, to }`. */
export function range(v: Json | undefined, what: string): [number, number] {
  const r = obj(v, what);
  return [num(r["from"], `${what}.from`), num(r["to"], `${what}.to`)];
}

/** `313 steps`, `1 epoch`, `7936 images`, `2.5%` (of the run: a fraction). */
export function duration(v: Json | undefined, what: string): DurationSpec {
  const d = obj(v, what);
  const value = num(d["value"], what);
  switch (d["unit"]) {
    case "steps":
    case "epochs":
    case "images":
      return { unit: d["unit"], value };
    case "%":
      return { unit: "run_fraction", value: value / 100 };
    default:
      throw new LoweringError(`${what} has no duration unit`);
  }
}

/** A rate for a global batch: `value per N images` becomes `value × batch / N` (the per-256 rule), stated beside it. */
export function rate(v: Json | undefined, batch: number, what: string): RateSpec {
  if (typeof v === "number") return { resolved: v, value: v, per_images: null };
  const r = obj(v, what);
  const value = num(r["value"], what);
  const per = r["per"];
  if (per === undefined || per === null) return { resolved: value, value, per_images: null };
  const p = obj(per, `${what}.per`);
  if (p["unit"] !== "images") throw new LoweringError(`${what} is not per images`);
  const perImages = num(p["value"], `${what}.per`);
  return { resolved: (value * batch) / perImages, value, per_images: perImages };
}

export function optimizer(v: Json | undefined, batch: number, what: string): OptimizerSpec {
  const o = obj(v, what);
  const lr = rate(o["lr"], batch, `${what}.lr`);
  if (o["$ctor"] === "sgd") return { kind: "sgd", lr, momentum: num(o["momentum"], "momentum"), nesterov: bool(o["nesterov"], "nesterov"), weight_decay: num(o["weight_decay"], "weight_decay") };
  if (o["$ctor"] === "lars") return { kind: "lars", lr, momentum: num(o["momentum"], "momentum"), weight_decay: num(o["weight_decay"], "weight_decay"), trust: num(o["trust"], "trust"), exclude_bn_bias: bool(o["exclude_bn_bias"], "exclude_bn_bias") };
  throw new LoweringError(`${what} is neither lars nor sgd`);
}

export function sgdOptimizer(v: Json | undefined, batch: number, what: string): Extract<OptimizerSpec, { kind: "sgd" }> {
  const o = optimizer(v, batch, what);
  if (o.kind !== "sgd") throw new LoweringError(`${what} is not sgd`);
  return o;
}

export function schedule(v: Json | undefined, batch: number, what: string): ScheduleSpec {
  const s = obj(v, what);
  const warmup = duration(s["warmup"], `${what}.warmup`);
  switch (s["$ctor"]) {
    case "cosine":
      return { kind: "cosine", warmup, warmup_from: rate(s["warmup_from"], batch, `${what}.warmup_from`), final_factor: num(s["final_factor"], "final_factor") };
    case "multistep":
      return { kind: "multistep", milestones: list(s["milestones"], "milestones").map((m, i) => duration(m, `${what}.milestones[${i}]`)), gamma: num(s["gamma"], "gamma"), warmup };
    case "constant":
      return { kind: "constant", warmup };
    default:
      throw new LoweringError(`${what} is not a schedule`);
  }
}
