/**
 * SwAV pretraining of a RegNet on a dataset, with checkpoints and exact resume.
 *
 * Everything that decides the next step is either derived from (seed, step) — data order,
 * augmentation — or saved in the checkpoint — weights, BN statistics, head, prototypes,
 * optimiser momentum, queue — so a run killed at any moment and resumed from its last
 * complete checkpoint ends with bitwise the same weights as an uninterrupted one (same backend).
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type * as tfTypes from "@tensorflow/tfjs";
import type { AugmentSpec, DatasetSpec, PretrainSwavSpec } from "../../contract/specs.js";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";
import { selectBackend, type BackendInfo } from "../backend/select.js";
import { DataError } from "../data/errors.js";
import { SWAV_AUGMENT, type AugmentParams } from "../data/augment.js";
import { DataLoader } from "../data/loader.js";
import { cropsFromSpec, openDataset, splitIndices } from "../data/open.js";
import { sourceLength } from "../data/source.js";
import { mergeUnreadable, readUnreadable, unreadableOf, writeUnreadable } from "../data/unreadable.js";
import { toSteps } from "../optim/duration.js";
import { CollapseDetector } from "../ssl/collapse.js";
import { swavRunFromRecipe } from "../ssl/setup.js";
import { swavStep } from "../ssl/swav-step.js";
import { archFromSpec } from "../tfjs/regnet-arch.js";
import { buildRegNetAsync, type RegNet } from "../tfjs/regnet.js";
import { encodeCheckpoint, loadLatestCheckpoint, saveCheckpoint, type CheckpointTensor } from "./checkpoint.js";
import { readVariable, trunkName, trunkSnapshot } from "./weights.js";

/** A dataset as a training or features job opens it: its spec, where its relative paths start, and a split. */
export interface DatasetRef {
  spec: DatasetSpec;
  /** Folder relative paths in the dataset are resolved against (the declaring module's). */
  baseDir: string;
  split?: string;
}

/** A spec's `augment` record as the loader's parameters. */
export function augmentFromSpec(a: AugmentSpec): AugmentParams {
  return { ...SWAV_AUGMENT, flip: a.flip, rotate: a.rotate, jitter: a.jitter, strength: a.strength, grayscale: a.grayscale, blur: a.blur, blurSigma: [a.blur_sigma[0], a.blur_sigma[1]] };
}

/**
 * What depends only on the inputs (weights, metrics.jsonl's loss and lr, summary.json) is
 * hashed into a stage's digest; wall-clock figures (images/s, data wait, where it resumed, the
 * backend, paths) go to these files, which a stage publishes under `telemetry/`.
 */
export const TELEMETRY_LOG = "telemetry.jsonl";
export const TELEMETRY_SUMMARY = "telemetry.json";

export interface PretrainJob {
  name: string;
  /** The stage spec. */
  swav: PretrainSwavSpec;
  data: DatasetRef;
  /** Where checkpoints, metrics and the final weights go. */
  outDir: string;
  backend?: string;
  workers?: number;
  /** The data-loader worker script (the CLI bundle ships its own). */
  workerUrl?: URL;
  log?: (line: string) => void;
  /** Called after every optimiser step. */
  onStep?: (step: number, totalSteps: number) => void;
  /** Aborting saves a checkpoint at the current step, then rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface PretrainResult {
  name: string;
  steps: number;
  totalSteps: number;
  resumedFrom: number | null;
  finalLoss: number;
  /** The trained trunk (checkpoint format) and its sha256. */
  weightsFile: string;
  weightsSha256: string;
  backend: BackendInfo;
  imagesPerSecond: number;
  dataWaitFraction: number;
  collapsed: boolean;
}

interface RunState {
  step: number;
  queueFilled: number;
  lastLoss: number;
}

export async function pretrain(job: PretrainJob): Promise<PretrainResult> {
  const log = job.log ?? (() => undefined);
  const { tf, info } = await selectBackend(job.backend ? { backend: job.backend } : {});
  log(`backend: ${info.name} (${info.reason})`);
  const dataset = await openDataset(job.data.spec, { baseDir: job.data.baseDir });
  if (dataset.kind === "copy_detection_set") throw new DataError("bad-options", "SwAV cannot pretrain on a copy-detection set.");
  const subset = splitIndices(dataset, job.data.split);
  const images = subset ? subset.length : sourceLength(dataset.source);
  const batch = job.swav.batch;
  const stepsPerEpoch = Math.floor(images / batch);
  if (stepsPerEpoch < 1) throw new DataError("bad-options", `the batch (${batch} images) is larger than the data (${images} images).`);

  log(`building the model (${job.swav.model.name})`);
  const net = await buildRegNetAsync(tf, archFromSpec(job.swav.model), { seed: job.swav.seed, ...(job.signal ? { signal: job.signal } : {}) });
  const trunkParams = new Map(net.variables.filter((v) => v.trainable).map((v) => [v.name, v.variable as tfTypes.Variable]));
  const featureDim = net.arch.stages[net.arch.stages.length - 1]!.width;
  const trunk = (x: tfTypes.Tensor4D, training: boolean) => net.apply(x, { training, taps: ["pool"] }).taps.pool as tfTypes.Tensor2D;
  const run = swavRunFromRecipe(job.swav, { trunk, params: trunkParams, featureDim, stepsPerEpoch });
  const everySteps = Math.max(1, toSteps(job.swav.checkpoint.every, run.run));
  const ckptDir = path.join(job.outDir, "checkpoints");
  mkdirSync(job.outDir, { recursive: true });

  const state: RunState = { step: 0, queueFilled: 0, lastLoss: Number.NaN };
  const resumed = restore(tf, net, run, ckptDir, state, log);
  const metricsFile = path.join(job.outDir, "metrics.jsonl");
  const telemetryFile = path.join(job.outDir, TELEMETRY_LOG);
  trimMetrics(metricsFile, state.step);
  trimMetrics(telemetryFile, state.step);

  const loader = await DataLoader.create({
    source: dataset.source,
    labels: dataset.labels,
    subset,
    batch,
    seed: job.swav.seed,
    transform: { kind: "multicrop", crops: cropsFromSpec(job.swav.crops), augment: augmentFromSpec(job.swav.augment) },
    ...(job.workers ? { workers: job.workers } : {}),
    ...(job.workerUrl ? { workerUrl: job.workerUrl } : {}),
  });
  // Images met unreadable by earlier attempts in this work folder stay on the list.
  const unreadableBefore = readUnreadable(job.outDir);
  const saveUnreadable = () => writeUnreadable(job.outDir, mergeUnreadable(unreadableBefore, unreadableOf(loader.report.problems)));
  const collapse = new CollapseDetector({ prototypes: job.swav.prototypes, warn: (m: string) => log(`warning: ${m}`) });
  let collapsed = false;
  const t0 = performance.now();
  const startStep = state.step;
  try {
    const from = { epoch: Math.floor(state.step / stepsPerEpoch), step: state.step % stepsPerEpoch };
    const untilEpoch = Math.ceil(run.totalSteps / stepsPerEpoch);
    let saved = state.step;
    const checkpoint = () => {
      state.queueFilled = run.setup.queue?.queue.exportState().filled ?? 0;
      saveCheckpoint(ckptDir, { step: state.step, state, tensors: snapshot(net, run) }, job.swav.checkpoint.keep);
      saveUnreadable();
      saved = state.step;
    };
    for await (const b of loader.batches(from, untilEpoch)) {
      if (state.step >= run.totalSteps) break;
      if (job.signal?.aborted) {
        if (saved !== state.step) checkpoint();
        log(`cancelled at step ${state.step}; checkpoint saved, the next run resumes here`);
        throw Object.assign(new Error("pretraining cancelled"), { name: "AbortError" });
      }
      const stepStart = performance.now();
      const crops = cropTensors(tf, b.crops, b.shapes, b.size);
      const r = swavStep(run.setup, crops, state.step);
      tf.dispose(crops);
      state.step++;
      state.lastLoss = r.loss;
      if (collapse.observe(r.loss, state.step)) collapsed = true;
      const seconds = (performance.now() - stepStart) / 1000;
      appendFileSync(metricsFile, `${JSON.stringify({ step: state.step, epoch: b.epoch, loss: r.loss, lr: r.lr, queue: r.usedQueue, prototypes_frozen: r.prototypesFrozen })}\n`);
      appendFileSync(telemetryFile, `${JSON.stringify({ step: state.step, images_per_s: b.size / seconds, data_wait: loader.stats().waitFraction })}\n`);
      if (state.step % everySteps === 0 || state.step === run.totalSteps) {
        checkpoint();
        log(`step ${state.step}/${run.totalSteps}: loss ${r.loss.toFixed(4)}, checkpoint saved`);
      }
      job.onStep?.(state.step, run.totalSteps);
    }
    const stats = loader.stats();
    saveUnreadable();
    const weightsFile = path.join(job.outDir, "trunk.seerckpt");
    const bytes = encodeCheckpoint({ step: state.step, state: { model: job.swav.model }, tensors: trunkSnapshot(net) });
    writeFileAtomic(weightsFile, bytes);
    const seconds = (performance.now() - t0) / 1000;
    const result: PretrainResult = {
      name: job.name,
      steps: state.step,
      totalSteps: run.totalSteps,
      resumedFrom: resumed,
      finalLoss: state.lastLoss,
      weightsFile,
      weightsSha256: createHash("sha256").update(bytes).digest("hex"),
      backend: info,
      imagesPerSecond: seconds > 0 ? ((state.step - startStep) * batch) / seconds : 0,
      dataWaitFraction: stats.waitFraction,
      collapsed,
    };
    const { steps, totalSteps, finalLoss, weightsSha256, collapsed: warned, ...telemetry } = result;
    writeFileAtomic(path.join(job.outDir, "summary.json"), `${JSON.stringify({ name: job.name, steps, totalSteps, finalLoss, weightsSha256, collapsed: warned }, null, 2)}\n`);
    writeFileAtomic(path.join(job.outDir, TELEMETRY_SUMMARY), `${JSON.stringify(telemetry, null, 2)}\n`);
    return result;
  } finally {
    await loader.close();
    run.dispose();
    net.dispose();
  }
}

/** The loader's group-major crop groups -> one [B, H, W, 3] tensor per crop, in recipe order. */
function cropTensors(tf: typeof tfTypes, groups: readonly Float32Array[], shapes: readonly { count: number; size: number }[], b: number): tfTypes.Tensor4D[] {
  const out: tfTypes.Tensor4D[] = [];
  groups.forEach((data, g) => {
    const { count, size } = shapes[g]!;
    const per = b * size * size * 3;
    for (let c = 0; c < count; c++) out.push(tf.tensor4d(data.subarray(c * per, (c + 1) * per), [b, size, size, 3]));
  });
  return out;
}

function snapshot(net: RegNet, run: ReturnType<typeof swavRunFromRecipe>): Map<string, CheckpointTensor> {
  const out = trunkSnapshot(net);
  const head = run.setup.head;
  for (const [name, v] of [...head.params, ...head.buffers]) out.set(`head/${name}`, readVariable(v));
  for (const [name, data] of Object.entries(run.setup.optimizer.exportState())) out.set(`optimizer/${name}`, { shape: [data.length], data });
  const q = run.setup.queue?.queue.exportState();
  if (q) out.set("queue", { shape: [q.embeddings.length], data: q.embeddings });
  return out;
}

/** Restores the newest intact checkpoint; returns its step, or null for a fresh start. */
function restore(tf: typeof tfTypes, net: RegNet, run: ReturnType<typeof swavRunFromRecipe>, dir: string, state: RunState, log: (s: string) => void): number | null {
  const { checkpoint, file, skipped } = loadLatestCheckpoint<RunState>(dir);
  for (const s of skipped) log(`warning: ignoring checkpoint ${s.file}: ${s.reason}`);
  if (!checkpoint) return null;
  const assign = (v: tfTypes.Variable, name: string) => {
    const t = checkpoint.tensors.get(name);
    if (!t) throw new Error(`checkpoint ${file} lacks ${name}`);
    v.assign(tf.tensor(t.data, v.shape, "float32"));
  };
  tf.tidy(() => {
    for (const v of net.variables) assign(v.variable as tfTypes.Variable, trunkName(v.name));
    for (const [name, v] of [...run.setup.head.params, ...run.setup.head.buffers]) assign(v, `head/${name}`);
  });
  const opt: Record<string, Float32Array> = {};
  for (const [name, t] of checkpoint.tensors) if (name.startsWith("optimizer/")) opt[name.slice("optimizer/".length)] = t.data;
  run.setup.optimizer.importState(opt);
  const q = checkpoint.tensors.get("queue");
  if (q && run.setup.queue) run.setup.queue.queue.importState({ embeddings: q.data, filled: checkpoint.state.queueFilled });
  Object.assign(state, checkpoint.state);
  log(`resumed from ${path.basename(file ?? "")} at step ${checkpoint.step}`);
  return checkpoint.step;
}

/** Drops metric lines from steps after the checkpoint a run resumes from. */
function trimMetrics(file: string, upTo: number): void {
  if (!existsSync(file)) return;
  const kept = readFileSync(file, "utf8").split("\n").filter((l) => {
    if (!l.trim()) return false;
    try {
      return (JSON.parse(l) as { step: number }).step <= upTo;
    } catch {
      return false; // a line cut short by a kill
    }
  });
  writeFileAtomic(file, kept.map((l) => `${l}\n`).join(""));
}
