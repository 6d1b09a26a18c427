/**
 * Static estimates for `seer plan`, from the RegNet arithmetic: multiply-adds per image and
 * for a whole pretraining (forward + backward ~ 3x forward), peak training memory, disk for
 * checkpoints, and wall time from a calibration of this machine's backend
 * (a timed matmul, measured once and cached in `.seer/cache/calibration.json`). The time is
 * rough: convolutions on wasm run below the matmul rate.
 */
import { cpus } from "node:os";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { paramsOfModel } from "../../../compiler/regnet/model-spec.js";
import type { PretrainSwavSpec } from "../../../contract/specs.js";
import { complexity, memoryEstimate } from "../../../compiler/regnet/arith.js";
import { humanBytes, humanFlops } from "../../../compiler/regnet/explain.js";
import { toSteps } from "../../../runtime/optim/duration.js";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import type { Stage } from "../../../contract/graph.js";
import type { Prepared } from "../../../runtime/session/prepare.js";

export interface StageEstimate {
  flopsPerImage?: number;
  trainingFlops?: number;
  seconds?: number;
  memoryBytes?: number;
  diskBytes?: number;
}

/** An assumed convolution efficiency relative to the matmul calibration (not measured per model: on the tiny test recipe the estimate is about 3x the real pretraining time). */
const CONV_EFFICIENCY = 0.35;

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

/** What the arithmetic needs of a pretraining stage's spec. */
function pretrainShape(spec: PretrainSwavSpec) {
  return { params: paramsOfModel(spec.model), crops: spec.crops.map((c) => ({ count: c.count, size: c.size })), batch: spec.batch };
}

function trainingMemory(shape: ReturnType<typeof pretrainShape>): number {
  const largest = Math.max(...shape.crops.map((c) => c.size));
  return memoryEstimate(shape.params, { inputSize: largest, batch: shape.batch * shape.crops.reduce((a, c) => a + c.count, 0) }).trainingBytes;
}

/** Peak training memory of a pretraining stage (largest crop, every crop of a batch), from the RegNet arithmetic; undefined for other stages. */
export function stageMemory(s: Stage): number | undefined {
  return s.kind === "pretrain-swav" ? trainingMemory(pretrainShape(s.spec)) : undefined;
}

export function estimate(p: Prepared): { stages: Map<string, StageEstimate>; totals: Record<string, number>; lines: string[] } {
  const rate = calibrate(p) * CONV_EFFICIENCY;
  const stages = new Map<string, StageEstimate>();
  let flops = 0, seconds = 0, memory = 0, disk = 0;
  for (const d of p.plan) {
    const s = d.stage;
    if (s.kind === "pretrain-swav") {
      const shape = pretrainShape(s.spec);
      const { params, crops, batch } = shape;
      const perImage = crops.reduce((acc, c) => acc + c.count * complexity(params, { inputSize: c.size, classes: 0 }).trunkFlops, 0);
      const images = p.sizes.get(s.spec.data.ref) ?? 0;
      const spe = Math.max(1, Math.floor(images / batch));
      const steps = toSteps(s.spec.duration, { stepsPerEpoch: spe, batch, totalSteps: Number.NaN });
      const training = 3 * perImage * batch * steps;
      const mem = trainingMemory(shape);
      const ckpt = s.spec.checkpoint.keep;
      const dsk = complexity(params, { classes: 0 }).trunkParams * 4 * 3 * (ckpt + 1);
      const e = { flopsPerImage: perImage, trainingFlops: training, seconds: training / rate, memoryBytes: mem, diskBytes: dsk };
      stages.set(s.name, e);
      if (d.action === "run") {
        flops += training;
        seconds += e.seconds;
        disk += dsk;
      }
      memory = Math.max(memory, mem);
    }
  }
  const lines = [
    `estimates (rough; backend ${p.backend.info.name} calibrated at ${humanFlops(rate)}/s for convolutions):`,
    `  training: ${humanFlops(flops)}, about ${seconds < 90 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`} of pretraining to run`,
    `  peak training memory ${humanBytes(memory)}, checkpoints ${humanBytes(disk)} on disk`,
  ];
  return { stages, totals: { training_flops: flops, seconds, peak_memory_bytes: memory, disk_bytes: disk }, lines };
}
