/**
 * The torch engine against the tfjs engine on wasm, in one run, through the real CLI (issue #14):
 *
 * 1. the reference network's training step (bench/fixtures/reference-network.seer: RegNetY-200MF,
 *    SwAV head 256-128, 64 prototypes, 2 x 32 px crops, batch 128) on each engine: the median of
 *    the per-step images/s in the stage's telemetry, warm-up steps left out;
 * 2. the quickstart's pretraining (recipes/quickstart.seer, `seer pretrain ... swav_tiny`, 4
 *    epochs = 200 steps) on wasm, on torch with one rank and with two ranks
 *    (`--nproc-per-node 2`): the stage's wall time and images/s;
 * 3. the torch engine's SwAV step against a bare PyTorch loop on the same network
 *    (bench/torch_bare_step.py).
 * Engines alternate for `rounds` rounds and medians are compared: this 2-vCPU machine drifts.
 * Without an interpreter that has torch it says so and measures nothing.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { QUICKSTART, ROOT, SEER_BIN } from "./paths.js";
import { median } from "./stats.js";

const REFERENCE = path.join(ROOT, "bench", "fixtures", "reference-network.seer");

interface PretrainRun {
  seconds: number;
  imagesPerSecond: number;
  stepImagesPerSecond: number;
}

function seer(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [SEER_BIN, ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, SEER_PROGRESS: "plain" } });
  if (r.status !== 0) throw new Error(`seer ${args.join(" ")} exited ${r.status}: ${r.stderr.split("\n").slice(-6).join("\n")}`);
  return r.stdout;
}

/** One `seer pretrain` in a fresh project: wall time, the stage's images/s, and the median per-step images/s after `skip` steps. */
function pretrainOnce(recipe: string, name: string, args: string[], skip: number): PretrainRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seer-bench-engines-"));
  try {
    copyFileSync(recipe, path.join(dir, "r.seer"));
    const t0 = performance.now();
    const out = JSON.parse(seer(["pretrain", "r.seer", name, "--json", ...args], dir)) as { dir: string };
    const seconds = (performance.now() - t0) / 1000;
    const tele = path.join(out.dir, "telemetry");
    const summary = JSON.parse(readFileSync(path.join(tele, "telemetry.json"), "utf8")) as { imagesPerSecond: number };
    const steps = readFileSync(path.join(tele, "telemetry.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { images_per_s: number }).images_per_s);
    return { seconds, imagesPerSecond: summary.imagesPerSecond, stepImagesPerSecond: median(steps.slice(skip)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hasTorch(): boolean {
  const r = spawnSync(process.execPath, [SEER_BIN, "doctor", "--format", "json"], { encoding: "utf8" });
  try {
    return (JSON.parse(r.stdout) as { engines?: { torch?: { found?: boolean } } }).engines?.torch?.found === true;
  } catch {
    return false;
  }
}

export interface EnginesBench {
  torch: boolean;
  reference: Record<"wasm" | "torch", PretrainRun>;
  quickstart: Record<"wasm" | "torch" | "torch2", PretrainRun>;
  bare: { seerMs: number; bareMs: number; ratio: number } | null;
}

export function benchEngines(rounds = 2): EnginesBench | null {
  if (!hasTorch()) return null;
  const med = (xs: PretrainRun[]): PretrainRun => ({ seconds: median(xs.map((x) => x.seconds)), imagesPerSecond: median(xs.map((x) => x.imagesPerSecond)), stepImagesPerSecond: median(xs.map((x) => x.stepImagesPerSecond)) });
  const ref: Record<"wasm" | "torch", PretrainRun[]> = { wasm: [], torch: [] };
  const qs: Record<"wasm" | "torch" | "torch2", PretrainRun[]> = { wasm: [], torch: [], torch2: [] };
  const qsArgs = ["--set", "pretrain_epochs=4"];
  for (let r = 0; r < rounds; r++) {
    ref.wasm.push(pretrainOnce(REFERENCE, "reference", ["--engine", "tfjs", "--set", "steps=20"], 4));
    ref.torch.push(pretrainOnce(REFERENCE, "reference", ["--engine", "torch", "--set", "steps=20"], 4));
    qs.wasm.push(pretrainOnce(QUICKSTART, "swav_tiny", ["--engine", "tfjs", ...qsArgs], 10));
    qs.torch.push(pretrainOnce(QUICKSTART, "swav_tiny", ["--engine", "torch", ...qsArgs], 10));
    qs.torch2.push(pretrainOnce(QUICKSTART, "swav_tiny", ["--engine", "torch", "--nproc-per-node", "2", ...qsArgs], 10));
  }
  const stage = JSON.stringify((JSON.parse(seer(["graph", REFERENCE], ROOT)) as { stages: { kind: string }[] }).stages.find((s) => s.kind === "pretrain-swav"));
  const py = spawnSync(process.env["SEER_PYTHON"] ?? "/usr/bin/python3", [path.join(ROOT, "bench", "torch_bare_step.py"), String(Math.max(3, rounds))], { input: stage, encoding: "utf8", env: { ...process.env, PYTHONPATH: path.join(ROOT, "engines", "torch"), OMP_NUM_THREADS: "1", PYTHONDONTWRITEBYTECODE: "1" }, maxBuffer: 16 << 20 });
  const bare = py.status === 0 ? (JSON.parse(py.stdout) as { seerMs: number; bareMs: number; ratio: number }) : null;
  if (!bare) console.error(`bare-loop comparison failed: ${py.stderr.slice(-2000)}`);
  return { torch: true, reference: { wasm: med(ref.wasm), torch: med(ref.torch) }, quickstart: { wasm: med(qs.wasm), torch: med(qs.torch), torch2: med(qs.torch2) }, bare };
}
