/** SwAV rules (see docs/language.md and seer-and-swav.md §1). */
import { diag, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import type { CheckedDecl, Checker } from "../checker.js";
import { isObject, pointer, type Json } from "../../../core/json.js";
import { asQuantity, atOrPast, fmt, qText, spanAt } from "./util.js";
import { pushAll } from "../../../core/arrays.js";

export function swavRules(d: CheckedDecl, _checker: Checker): Diagnostic[] {
  const out: Diagnostic[] = [];
  const v = d.value;
  const path = (...p: string[]) => ({ path: [d.info.name, ...p] });
  const crops = Array.isArray(v["crops"]) ? v["crops"] : [];
  crops.forEach((c, i) => {
    if (!isObject(c) || !isObject(c["scale"])) return;
    const from = Number(c["scale"]["from"]);
    const to = Number(c["scale"]["to"]);
    const ptr = pointer(pointer("/crops", i), "scale");
    const range = `${fmt(from)}..${fmt(to)}`;
    if (to > 1) out.push(diag("CropScaleOutOfRange", spanAt(d, ptr), { range, side: "past 1" }, path("crops", String(i), "scale")));
    else if (from <= 0) out.push(diag("CropScaleOutOfRange", spanAt(d, ptr), { range, side: "to 0 or below" }, path("crops", String(i), "scale")));
    else if (from > to) out.push(diag("RangeNotIncreasing", spanAt(d, ptr), { range }, path("crops", String(i), "scale")));
  });
  if (crops.length > 0 && !crops.some((c) => isObject(c) && Number(c["count"]) >= 2)) {
    out.push(diag("NoAssignCrops", spanAt(d, "/crops"), {}, path("crops")));
  }
  const aug = v["augment"];
  if (isObject(aug) && isObject(aug["blur_sigma"])) {
    const from = Number(aug["blur_sigma"]["from"]);
    const to = Number(aug["blur_sigma"]["to"]);
    if (from < 0 || from > to) out.push(diag("RangeNotIncreasing", spanAt(d, "/augment/blur_sigma"), { range: `${fmt(from)}..${fmt(to)}` }, path("augment", "blur_sigma")));
  }
  const batch = asQuantity(v["batch"])?.value ?? 0;
  const gpus = Number(v["gpus"] ?? 1);
  if (batch > 0 && gpus > 0 && batch % gpus !== 0) {
    out.push(diag("BatchNotDivisible", spanAt(d, "/batch"), { batch: fmt(batch), gpus: fmt(gpus) }, path("batch")));
  }
  const queue = v["queue"];
  if (isObject(queue)) {
    const length = Number(queue["length"] ?? 0);
    if (length > 0 && batch > 0 && length % batch !== 0) {
      out.push(diag("QueueNotMultiple", spanAt(d, "/queue/length"), { batch: fmt(batch), length: fmt(length) }, path("queue", "length")));
    }
  }
  const total = asQuantity(v["duration"]);
  if (total) pushAll(out, scheduleRules(d, v["schedule"], "/schedule", total));
  return out;
}

/** Warmup and milestones against the run's length (shared with linear probes). */
export function scheduleRules(d: CheckedDecl, schedule: Json | undefined, ptr: string, total: { value: number; unit: string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isObject(schedule)) return out;
  const warmup = asQuantity(schedule["warmup"]);
  if (warmup && warmup.value > 0 && atOrPast(warmup, total)) {
    out.push(diag("WarmupTooLong", spanAt(d, `${ptr}/warmup`), { warmup: qText(warmup), total: qText(total) }, { path: [d.info.name, "schedule", "warmup"] }));
  }
  const milestones = Array.isArray(schedule["milestones"]) ? schedule["milestones"] : [];
  milestones.forEach((m, i) => {
    const q = asQuantity(m);
    if (q && atOrPast(q, total)) {
      out.push(diag("MilestonePastEnd", spanAt(d, pointer(`${ptr}/milestones`, i)), { milestone: qText(q), total: qText(total) }, { path: [d.info.name, "schedule", "milestones", String(i)] }));
    }
  });
  return out;
}
