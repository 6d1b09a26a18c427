/**
 * Static estimates for `seer plan` (and the memory check of `seer run`), for the hardware the
 * stages will run on (`--hardware NAME`, contract/hardware.ts; default this machine's CPU): per
 * pretraining, memory per device under data parallelism and wall time, from the cost model
 * (compiler/cost/model.ts; assumptions in docs/cost-model.md). On `cpu` the rate is measured: a
 * timed matmul of this machine's backend, cached in `.seer/cache/calibration.json`, times an
 * assumed convolution efficiency.
 */
import { scheduleFacts, scheduleLine, type ScheduleFacts } from "./schedule-facts.js";
import { cpus, totalmem } from "node:os";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { acceleratorByName, DEVICE_RESERVE_BYTES, HARDWARE, HARDWARE_NAMES, UTILISATION, type Accelerator } from "../../../contract/hardware.js";
import { countPretraining, deviceMemory, trainingMacsPerImage, trainingSeconds, type DeviceMemory, type Layout } from "../../../compiler/cost/model.js";
import { complexity, memoryEstimate } from "../../../compiler/regnet/arith.js";
import { humanBytes } from "../../../compiler/regnet/explain.js";
import { paramsOfModel } from "../../../compiler/regnet/model-spec.js";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import type { Stage, StageOf } from "../../../contract/graph.js";
import type { Prepared } from "../../../runtime/session/prepare.js";
import { UsageError } from "../errors.js";

/** An assumed convolution efficiency relative to the matmul calibration of `cpu` (not measured per model: on the tiny test recipe the estimate is about 3x the real pretraining time). */
const CONV_EFFICIENCY = 0.35;

export interface StageEstimate {
  /** Multiply-adds of one image's forward pass, every crop. */
  flopsPerImage: number;
  /** Multiply-adds of the whole pretraining (null: its length is unknown without the data's size). */
  trainingFlops: number | null;
  seconds: number | null;
  hours: number | null;
  days: number | null;
  gpuHours: number | null;
  /** Per device, bytes (the total of `memory`). */
  memoryBytes: number;
  memory: Omit<DeviceMemory, "perDeviceBatch">;
  /** What one device has. */
  deviceMemoryBytes: number;
  fits: boolean;
  diskBytes: number;
  hardware: string;
  gpus: number;
  perDeviceBatch: number;
  precision: "fp32" | "mixed";
  sharding: "none" | "full";
  activationCheckpointing: boolean;
  steps: number | null;
  images: number | null;
  /** Steps per epoch, total and warmup steps, images seen, per-device batch, the scaled learning rate. */
  schedule: ScheduleFacts;
}

/** Where the estimates are made for. */
export interface CostTarget {
  hardware: Accelerator;
  /** Memory of one device, bytes. */
  memoryBytes: number;
  /** What the framework keeps of it. */
  reserve: number;
  /** `cpu`: the measured rate, multiply-adds/s. */
  cpuRate?: number;
}

/** A stage that does not fit: what it needs, what the device has, and what would make it fit. */
export interface Overflow {
  stage: StageOf<"pretrain-swav">;
  estimate: StageEstimate;
  fixes: string[];
}

/** The accelerator `--hardware` names (default `cpu`); an unknown name is a usage error listing the valid ones. */
export function resolveHardware(name: string | undefined): Accelerator {
  const a = acceleratorByName(name ?? "cpu");
  if (!a) throw new UsageError(`\`--hardware ${name}\` is not an accelerator seer knows.`, `choose one of: ${HARDWARE_NAMES.join(", ")} (docs/cost-model.md)`);
  return a;
}

function calibrate(p: Prepared): number {
  const file = path.join(p.store.root, "cache", "calibration.json");
  const id = `${p.backend.info.name} ${cpus()[0]?.model ?? "cpu"}`;
  let all: Record<string, number> = {};
  try {
    all = JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
  } catch {
    // not measured yet
  }
  if (all[id]) return all[id];
  const tf = p.backend.tf;
  const n = 256;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  tf.tidy(() => tf.matMul(a, b).dataSync());
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 300) {
    tf.tidy(() => tf.matMul(a, b).dataSync());
    reps++;
  }
  const rate = (reps * n * n * n) / ((performance.now() - t0) / 1000);
  tf.dispose([a, b]);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify({ ...all, [id]: rate }, null, 2)}\n`);
  return rate;
}

/** `measure`: time this machine's backend for `cpu` (a plan's wall time); false when only memory matters. */
export function costTarget(p: Prepared, hardware: Accelerator, measure = true): CostTarget {
  if (hardware.memoryBytes === null) return { hardware, memoryBytes: totalmem(), reserve: 0, ...(measure ? { cpuRate: calibrate(p) * CONV_EFFICIENCY } : {}) };
  return { hardware, memoryBytes: hardware.memoryBytes, reserve: DEVICE_RESERVE_BYTES };
}

export function layoutOf(s: StageOf<"pretrain-swav">): Layout {
  return { gpus: Math.max(1, s.resources.gpus), batch: s.spec.batch, precision: s.spec.precision, sharding: s.spec.sharding, activationCheckpointing: s.spec.activation_checkpointing };
}

/** Peak memory of a pretraining stage on a CPU host (the whole batch, fp32), for placement on hosts that state their `memory`; undefined for other stages. */
export function stageMemory(s: Stage): number | undefined {
  if (s.kind !== "pretrain-swav") return undefined;
  const largest = Math.max(...s.spec.crops.map((c) => c.size));
  return memoryEstimate(paramsOfModel(s.spec.model), { inputSize: largest, batch: s.spec.batch * s.spec.crops.reduce((a, c) => a + c.count, 0) }).trainingBytes;
}

/** Whether a pretraining fits in each device of the accelerator `name` (a host's `hardware`); undefined for other stages and for `cpu`. */
export function fitsDevice(s: Stage, name: string): boolean | undefined {
  const a = acceleratorByName(name);
  if (s.kind !== "pretrain-swav" || !a || a.memoryBytes === null) return undefined;
  return deviceMemory(s.spec, layoutOf(s)).total <= a.memoryBytes;
}

const gib = (n: number) => humanBytes(n);

/** What would make `s` fit on `t`: each change alone that does, with the per-device figure it gives. */
function fixesFor(s: StageOf<"pretrain-swav">, t: CostTarget): string[] {
  const l = layoutOf(s);
  const need = (x: Layout) => deviceMemory(s.spec, x, t.reserve).total;
  const fits = (x: Layout) => need(x) <= t.memoryBytes;
  const out: string[] = [];
  const sharded: Layout = { ...l, sharding: "full" };
  const ckpt: Layout = { ...l, activationCheckpointing: true };
  const both: Layout = { ...l, sharding: "full", activationCheckpointing: true };
  if (l.sharding === "none" && fits(sharded)) out.push(`\`sharding = full\` (${gib(need(sharded))} per device)`);
  if (!l.activationCheckpointing && fits(ckpt)) out.push(`\`activation_checkpointing = true\` (${gib(need(ckpt))})`);
  if ((l.sharding === "none" || !l.activationCheckpointing) && !fits(sharded) && !fits(ckpt) && fits(both)) out.push(`\`sharding = full\` with \`activation_checkpointing = true\` (${gib(need(both))})`);
  // More GPUs: the fewest that divide the batch and fit, as it is, else with both savings.
  const divisors = Array.from({ length: l.batch }, (_, i) => i + 1).filter((d) => d > l.gpus && l.batch % d === 0);
  const more = divisors.find((d) => fits({ ...l, gpus: d }));
  if (more !== undefined) out.push(`\`gpus = ${more}\` (${l.batch / more} images per device, ${gib(need({ ...l, gpus: more }))})`);
  else {
    const moreBoth = divisors.find((d) => fits({ ...both, gpus: d }));
    if (moreBoth !== undefined && (l.sharding === "none" || !l.activationCheckpointing)) out.push(`\`gpus = ${moreBoth}\` with \`sharding = full\` and \`activation_checkpointing = true\` (${gib(need({ ...both, gpus: moreBoth }))})`);
  }
  // A smaller batch: the largest per-device batch that fits.
  const per = Math.ceil(l.batch / l.gpus);
  for (let b = per - 1; b >= 1; b--) {
    if (fits({ ...l, batch: b * l.gpus })) {
      out.push(`\`batch = ${b * l.gpus} images\` (${b} per device, ${gib(need({ ...l, batch: b * l.gpus }))})`);
      break;
    }
  }
  // A device with more memory.
  const bigger = HARDWARE.filter((h) => h.memoryBytes !== null && h.memoryBytes > t.memoryBytes && need(l) - t.reserve + DEVICE_RESERVE_BYTES <= h.memoryBytes).sort((a, b) => a.memoryBytes! - b.memoryBytes!)[0];
  if (bigger) out.push(`\`--hardware ${bigger.name}\` (${gib(bigger.memoryBytes!)} per device)`);
  return out;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 90 * 60) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

const sci = (n: number) => (n >= 1e6 ? n.toExponential(2).replace("e+", "e") : String(Math.round(n)));

function describeTarget(t: CostTarget, p: Prepared): string {
  const h = t.hardware;
  if (h.peak === null) return `this machine's CPU (backend ${p.backend.info.name} calibrated at ${sci(t.cpuRate ?? 0)} multiply-adds/s for convolutions; ${gib(t.memoryBytes)} of memory)`;
  return `${h.name}: ${h.label}, ${gib(t.memoryBytes)} per device, peak ${(h.peak.half / 1e12).toFixed(0)} TFLOP/s fp16/bf16 and ${((h.peak.tf32 ?? h.peak.fp32) / 1e12).toFixed(1)} ${h.peak.tf32 ? "TF32" : "fp32"}, at ${(UTILISATION * 100).toFixed(0)}% utilisation (docs/cost-model.md)`;
}

export function estimate(p: Prepared, t: CostTarget): { stages: Map<string, StageEstimate>; totals: Record<string, number | string | null>; lines: string[]; overflows: Overflow[] } {
  const stages = new Map<string, StageEstimate>();
  const overflows: Overflow[] = [];
  const lines = [`estimates for ${describeTarget(t, p)}:`];
  let flops = 0, seconds = 0, gpuHours = 0, memory = 0, disk = 0;
  let unknown = false;
  for (const d of p.plan) {
    const s = d.stage;
    if (s.kind !== "pretrain-swav") continue;
    const l = layoutOf(s);
    const mem = deviceMemory(s.spec, l, t.reserve);
    const counted = countPretraining(s.spec);
    const schedule = scheduleFacts(s.spec, p.sizes.get(s.spec.data.ref), l.gpus);
    const steps = schedule.total_steps;
    const images = schedule.images_seen;
    const training = images === null ? null : trainingMacsPerImage(s.spec, l.activationCheckpointing) * images;
    const secs = images === null ? null : trainingSeconds(s.spec, l, images, t.hardware, t.cpuRate);
    const gpus = t.hardware.peak === null ? 1 : l.gpus;
    const dsk = complexity(paramsOfModel(s.spec.model), { classes: 0 }).trunkParams * 4 * 3 * (s.spec.checkpoint.keep + 1);
    const { perDeviceBatch, ...parts } = mem;
    const e: StageEstimate = {
      flopsPerImage: counted.macsPerImage,
      trainingFlops: training,
      seconds: secs,
      hours: secs === null ? null : secs / 3600,
      days: secs === null ? null : secs / 86400,
      gpuHours: secs === null ? null : (secs * gpus) / 3600,
      memoryBytes: mem.total,
      memory: parts,
      deviceMemoryBytes: t.memoryBytes,
      fits: mem.total <= t.memoryBytes,
      diskBytes: dsk,
      hardware: t.hardware.name,
      gpus: l.gpus,
      perDeviceBatch,
      precision: l.precision,
      sharding: l.sharding,
      activationCheckpointing: l.activationCheckpointing,
      steps,
      images,
      schedule,
    };
    stages.set(s.name, e);
    if (!e.fits) overflows.push({ stage: s, estimate: e, fixes: fixesFor(s, t) });
    const layout = `${t.hardware.peak === null ? "the CPU" : `${l.gpus} GPU${l.gpus === 1 ? "" : "s"}`} x ${perDeviceBatch} images, ${l.precision}${l.sharding === "full" ? ", sharded" : ""}${l.activationCheckpointing ? ", activation checkpointing" : ""}`;
    const time = secs === null ? "time unknown (its length is in epochs and its data's size is not known)" : `${steps!.toLocaleString("en-US")} steps, ${sci(training!)} multiply-adds: about ${duration(secs)}${t.hardware.peak === null ? "" : ` (${Math.round(e.gpuHours!).toLocaleString("en-US")} GPU-hours)`}`;
    lines.push(`  ${s.name}: ${layout}; ${gib(mem.total)} per device of ${gib(t.memoryBytes)}${e.fits ? "" : " (DOES NOT FIT)"}; ${time}`);
    lines.push(`    ${scheduleLine(s.spec, e.schedule)}`);
    if (d.action === "run") {
      if (training === null || secs === null) unknown = true;
      else {
        flops += training;
        seconds += secs;
        gpuHours += e.gpuHours!;
      }
      disk += dsk;
    }
    memory = Math.max(memory, mem.total);
  }
  lines.push(`  to run: ${unknown ? "at least " : ""}${sci(flops)} multiply-adds, about ${duration(seconds)} of pretraining${t.hardware.peak === null ? "" : ` (${Math.round(gpuHours).toLocaleString("en-US")} GPU-hours)`}; peak ${gib(memory)} per device, checkpoints ${gib(disk)} on disk`);
  return { stages, totals: { hardware: t.hardware.name, training_flops: flops, seconds, gpu_hours: t.hardware.peak === null ? null : gpuHours, peak_memory_bytes: memory, device_memory_bytes: t.memoryBytes, disk_bytes: disk }, lines, overflows };
}

