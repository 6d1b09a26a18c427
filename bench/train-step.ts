// Training-step benchmark: the baseline network (RegNetY-200MF stages, stem 24: widths
// 24/56/152/368, depths 1/1/4/7, group width 8, SE 0.25) on random 32x32 images, one SGD step
// = forward + tf.variableGrads + applyGradients. By default the loss is the tfjs probe's SwAV
// head (bench/swav-probe-head.ts) so the numbers compare with the probe's bench_train.mjs,
// which this script also runs when given a copy of the reference material's tfjs-probe (not part
// of this repository): --probe-dir DIR or SEER_TFJS_PROBE=DIR (copied to a temporary folder first).
// Without one it measures seer alone and says so.
//
//   node build/bench/train-step.js [--batches 32,128] [--steps 10] [--warmup 3] [--input 32]
//        [--rounds 3] [--loss swav|ce] [--backend wasm] [--no-probe] [--probe-dir DIR]
// Not run by the tests. Each measurement runs in its own child process (clean peak RSS); ours and
// the probe's alternate for --rounds rounds and the medians are compared, because a shared 2-vCPU
// machine drifts by ±20% over minutes.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { selectBackend } from "../runtime/backend/select.js";
import { buildRegNet, type RegNetArch } from "../runtime/tfjs/regnet.js";
import type { Rank, Scalar, Tensor2D, Tf } from "../runtime/tfjs/tf.js";
import { buildProbeHead } from "./swav-probe-head.js";
import { countStages } from "../compiler/regnet/arith.js";
import { measureCpuPeak, type CpuPeak } from "./cpu-peak.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");

export const BASELINE_ARCH: RegNetArch = {
  family: "Y",
  stemWidth: 24,
  seRatio: 0.25,
  stages: [24, 56, 152, 368].map((width, i) => ({ depth: [1, 1, 4, 7][i] ?? 1, width, groupWidth: 8, bottleneckWidth: width })),
};

interface Args {
  batches: number[];
  steps: number;
  warmup: number;
  input: number;
  loss: "swav" | "ce";
  backend: string;
  probe: boolean;
  probeDir: string | null;
  child: boolean;
  rounds: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { batches: [32, 128], steps: 10, warmup: 3, input: 32, loss: "swav", backend: "wasm", probe: true, probeDir: null, child: false, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1] ?? "";
    if (k === "--batches" || k === "--batch") (a.batches = v.split(",").map(Number)), i++;
    else if (k === "--steps") (a.steps = Number(v)), i++;
    else if (k === "--warmup") (a.warmup = Number(v)), i++;
    else if (k === "--input") (a.input = Number(v)), i++;
    else if (k === "--rounds") (a.rounds = Number(v)), i++;
    else if (k === "--loss") (a.loss = v === "ce" ? "ce" : "swav"), i++;
    else if (k === "--backend") (a.backend = v), i++;
    else if (k === "--probe-dir") (a.probeDir = v), i++;
    else if (k === "--no-probe") a.probe = false;
    else if (k === "--child") a.child = true;
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

interface StepResult {
  batch: number;
  medianStepMs: number;
  imagesPerSec: number;
  maxRssMB: number;
  params: number;
  numTensorsPerStep: number[];
  finalLoss: number;
  backend: string;
}

export interface StepTiming {
  medianStepMs: number;
  params: number;
  numTensorsPerStep: number[];
  finalLoss: number;
}

/** Times SGD training steps (forward, tf.variableGrads, applyGradients) of a trunk on random images: the probe's SwAV head, or a classifier with cross-entropy. */
export function timeTrainSteps(tf: Tf, arch: RegNetArch, o: { batch: number; input: number; steps: number; warmup: number; loss: "swav" | "ce" }): StepTiming {
  const classes = 64;
  const net = buildRegNet(tf, arch, { seed: 1, ...(o.loss === "ce" ? { head: { classes } } : {}) });
  const last = arch.stages[arch.stages.length - 1]?.width ?? 0;
  const head = o.loss === "swav" ? buildProbeHead(tf, last, 2) : null;
  const varList = [...net.trainableVariables(), ...(head?.variables ?? [])];
  const x = tf.randomNormal<Rank.R4>([o.batch, o.input, o.input, 3], 0, 1, "float32", 42);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: o.batch }, (_, i) => i % classes), "int32"), classes);
  const opt = tf.train.sgd(0.05);
  const lossFn = (): Scalar => {
    const out = net.apply(x, { training: true, taps: head ? ["pool"] : [] });
    if (head) return head.loss(out.taps.pool as Tensor2D);
    return tf.losses.softmaxCrossEntropy(labels, out.logits as Tensor2D) as Scalar;
  };
  const times: number[] = [];
  const tensors: number[] = [];
  let loss = NaN;
  try {
    for (let i = 0; i < o.warmup + o.steps; i++) {
      const t0 = performance.now();
      const value = tf.tidy(() => {
        const { value: v, grads } = tf.variableGrads(lossFn, varList);
        opt.applyGradients(grads);
        return v;
      });
      loss = value.dataSync()[0] ?? NaN;
      value.dispose();
      if (i >= o.warmup) times.push(performance.now() - t0);
      tensors.push(tf.memory().numTensors);
    }
    const sorted = [...times].sort((p, q) => p - q);
    return { medianStepMs: sorted[Math.floor(sorted.length / 2)] ?? NaN, params: net.paramCount() + (head?.variables.reduce((n, v) => n + v.size, 0) ?? 0), numTensorsPerStep: tensors, finalLoss: loss };
  } finally {
    tf.dispose([x, labels]);
    opt.dispose();
    head?.dispose();
    net.dispose();
  }
}

async function runChild(a: Args): Promise<StepResult> {
  const { tf, info } = await selectBackend({ backend: a.backend });
  const batch = a.batches[0] ?? 32;
  const t = timeTrainSteps(tf, BASELINE_ARCH, { batch, input: a.input, steps: a.steps, warmup: a.warmup, loss: a.loss });
  return {
    batch,
    medianStepMs: +t.medianStepMs.toFixed(1),
    imagesPerSec: +((batch / t.medianStepMs) * 1000).toFixed(1),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    params: t.params,
    numTensorsPerStep: t.numTensorsPerStep,
    finalLoss: +t.finalLoss.toFixed(4),
    backend: `${info.name} (${info.reason})`,
  };
}

function lastJsonLine(out: string): unknown {
  const line = out.trim().split("\n").filter((l) => l.startsWith("{")).pop();
  if (line === undefined) throw new Error(`no JSON in output:\n${out}`);
  return JSON.parse(line);
}

/**
 * The probe to compare with: `--probe-dir DIR` as it is, or a runnable copy of `SEER_TFJS_PROBE`
 * (node_modules linked to this repo's, else installed there); null when neither is given.
 */
function probeCopy(a: Args): string | null {
  if (a.probeDir !== null) return a.probeDir;
  const probeSource = process.env["SEER_TFJS_PROBE"];
  if (!probeSource) {
    console.log("no tfjs probe given (--probe-dir DIR or SEER_TFJS_PROBE=DIR, a copy of the reference material's tfjs-probe): measuring seer alone");
    return null;
  }
  if (!fs.existsSync(path.join(probeSource, "bench_train.mjs"))) throw new Error(`SEER_TFJS_PROBE=${probeSource} holds no bench_train.mjs (the tfjs probe): point it at a copy of the probe, or pass --no-probe`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seer-tfjs-probe-"));
  fs.cpSync(probeSource, dir, { recursive: true });
  const nm = path.join(dir, "node_modules");
  if (!fs.existsSync(nm)) {
    try {
      fs.symlinkSync(path.join(repoRoot, "node_modules"), nm, "dir");
    } catch {
      execFileSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, stdio: "ignore" });
    }
  }
  return dir;
}

interface ProbeResult {
  medianStepMs: number;
  imagesPerSec: number;
  maxRssMB: number;
  params: number;
}

/** Forward multiply-adds per image of the trunk (pycls counting) plus the SwAV head and prototypes. */
function forwardMacsPerImage(input: number): number {
  const stages = BASELINE_ARCH.stages.map((s) => ({ ...s, groups: s.bottleneckWidth / s.groupWidth, widthBeforeAdjust: s.width, stride: 2 }));
  const trunk = countStages(stages, { stemWidth: BASELINE_ARCH.stemWidth, seRatio: BASELINE_ARCH.seRatio }, { inputSize: input, classes: 0 });
  const last = BASELINE_ARCH.stages[BASELINE_ARCH.stages.length - 1]!.width;
  return trunk.trunkFlops + last * 256 + 256 * 128 + 128 * 64;
}

function reportEfficiency(batch: number, ms: number, input: number, peak: CpuPeak | undefined): void {
  // Training does about 3x the forward work (forward, input gradients, weight gradients); 2 FLOPs per multiply-add.
  const gflops = (3 * 2 * forwardMacsPerImage(input) * batch) / (ms / 1000) / 1e9;
  const vsPeak = peak ? `; ${((100 * gflops) / peak.fma256_all).toFixed(1)}% of the measured 256-bit FMA peak (${peak.fma256_all.toFixed(0)} GFLOP/s), ${((100 * gflops) / peak.simd128_all).toFixed(1)}% of the 128-bit SIMD ceiling wasm can use (${peak.simd128_all.toFixed(0)} GFLOP/s)` : "";
  console.log(`  effective ${gflops.toFixed(2)} GFLOP/s (3x forward)${vsPeak}`);
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.child) {
    console.log(JSON.stringify(await runChild(a)));
    process.exit(0); // the wasm runtime can keep the event loop alive
  }
  const self = fileURLToPath(import.meta.url);
  const dir = a.probe ? probeCopy(a) : null;
  const ownsDir = dir !== null && a.probeDir === null;
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "?"}, node ${process.version}`);
  const peak = measureCpuPeak();
  if (peak) console.log(`cpu peak: 256-bit FMA ${peak.fma256_all.toFixed(0)} GFLOP/s on ${peak.cores} cores; 128-bit mul+add (the wasm SIMD ceiling) ${peak.simd128_all.toFixed(0)} GFLOP/s`);
  console.log(`network: RegNetY stem 24, widths 24/56/152/368, depths 1/1/4/7, gw 8, SE 0.25; input ${a.input}x${a.input}; loss ${a.loss}; ${a.steps} steps after ${a.warmup} warm-up`);
  const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] ?? NaN;
  for (const batch of a.batches) {
    const childArgs = [self, "--child", "--batches", String(batch), "--steps", String(a.steps), "--warmup", String(a.warmup), "--input", String(a.input), "--loss", a.loss, "--backend", a.backend];
    const probeArgs = ["bench_train.mjs", "wasm", "auto", "cgf", String(a.steps), String(a.warmup), String(batch)];
    const env = { ...process.env, INPUT: String(a.input) };
    const ours: StepResult[] = [];
    const probes: ProbeResult[] = [];
    for (let r = 0; r < a.rounds; r++) {
      ours.push(lastJsonLine(execFileSync(process.execPath, childArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as StepResult);
      if (dir !== null) probes.push(lastJsonLine(execFileSync(process.execPath, probeArgs, { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as ProbeResult);
    }
    const first = ours[0];
    if (first === undefined) continue;
    const constant = ours.every((o) => o.numTensorsPerStep.every((n) => n === o.numTensorsPerStep[0]));
    const ms = median(ours.map((o) => o.medianStepMs));
    console.log(`\nbatch ${batch} (${a.rounds} rounds; per-round medians in brackets)`);
    reportEfficiency(batch, ms, a.input, peak);
    console.log(
      `  seer:  ${ms} ms/step [${ours.map((o) => o.medianStepMs).join(", ")}]  ${((batch / ms) * 1000).toFixed(1)} img/s  ` +
        `peak RSS ${Math.max(...ours.map((o) => o.maxRssMB))} MB  params ${first.params}  loss ${first.finalLoss}  ` +
        `numTensors ${constant ? "constant" : "GROWING"} (${first.numTensorsPerStep[0]})  backend ${first.backend}`,
    );
    if (probes.length === 0) continue;
    const pms = median(probes.map((p) => p.medianStepMs));
    console.log(
      `  probe: ${pms} ms/step [${probes.map((p) => p.medianStepMs).join(", ")}]  ${((batch / pms) * 1000).toFixed(1)} img/s  ` +
        `peak RSS ${Math.max(...probes.map((p) => p.maxRssMB))} MB  params ${probes[0]?.params}`,
    );
    console.log(`  ratio seer/probe (median ms per step): ${(ms / pms).toFixed(3)}`);
  }
  // rm does not follow the node_modules symlink into this repository.
  if (ownsDir) fs.rmSync(dir, { recursive: true, force: true });
}

// Run as a script (`node build/bench/train-step.js`), not when imported by another benchmark.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
