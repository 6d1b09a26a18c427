/**
 * The torch engine's stage worker (engines/torch/seer_torch/worker), started by the Node
 * launcher (runtime/engines/torch/launch.ts) on test/fixtures/torch/tiny.seer's pretraining:
 *
 * - two ranks (gloo, env:// rendezvous) follow one process's loss trajectory with the same
 *   global batch. Tolerance 1e-4 relative per step: both compute the same sums (batch norm over
 *   the global batch, Sinkhorn over every rank's rows and queue, gradients averaged), so they
 *   differ only in the order float32 sums are taken. Measured: within 3.1e-7 over 16 steps;
 *   1e-4 leaves room for that noise to grow. The fixture's trunk starts with zero-init
 *   residuals, as the quickstart's does: with the usual init this little network is chaotic
 *   in its first steps, and even one process run with 1 and then 2 threads (another sum order)
 *   drifts 2.5e-3 apart by step 5 and 15% by step 6 (measured), so no tolerance could tell
 *   a wrong gradient from float noise there;
 * - a rank killed mid-run fails the stage with an error naming that rank and its host; the
 *   rerun resumes from the last checkpoint and ends with the same weights, bit for bit, as a
 *   run that was never interrupted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { ExecGraph } from "../../contract/graph.js";
import { isKind } from "../../contract/graph.js";
import { openDataset } from "../../runtime/data/open.js";
import { writePretrainJob } from "../../runtime/engines/torch/job.js";
import { launchRanks, RankError } from "../../runtime/engines/torch/launch.js";
import { FIXTURES, ROOT, SEER_BIN } from "../helpers/paths.js";
import { needTorch } from "../helpers/torch.js";

const exec = promisify(execFile);
const RECIPE = path.join(FIXTURES, "torch", "tiny.seer");
const PACKAGE = path.join(ROOT, "engines", "torch");

async function pretrainStage() {
  const { stdout } = await exec(process.execPath, [SEER_BIN, "graph", RECIPE], { cwd: ROOT, timeout: 120_000 });
  const g = JSON.parse(stdout) as ExecGraph;
  const stage = g.stages.find((s) => s.kind === "pretrain-swav");
  const data = g.stages.find((s) => s.kind === "prepare-data");
  assert.ok(stage && isKind(stage, "pretrain-swav") && data && isKind(data, "prepare-data"));
  return { stage, dataset: await openDataset(data.spec, { baseDir: path.dirname(RECIPE) }) };
}

async function run(py: string, work: string, ranks: number, onLog: (l: string) => void = () => undefined) {
  const { stage, dataset } = await pretrainStage();
  const jobFile = await writePretrainJob(stage, dataset, "train", work, { threads: 1, loaderWorkers: 0, device: "cpu", rendezvousTimeoutS: 120 });
  return launchRanks({ python: py, packageDir: PACKAGE, jobFile, ranks, log: onLog, progress: () => undefined });
}

const losses = (work: string): number[] =>
  readFileSync(path.join(work, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { loss: number }).loss);

test("two gloo ranks follow one process's loss trajectory with the same global batch", { timeout: 600_000 }, async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const one = mkdtempSync(path.join(tmpdir(), "seer-torch-1-"));
  const two = mkdtempSync(path.join(tmpdir(), "seer-torch-2-"));
  const [r1, r2] = await Promise.all([run(py, one, 1), run(py, two, 2)]);
  assert.equal(r1["worldSize"], 1);
  assert.equal(r2["worldSize"], 2);
  const a = losses(one), b = losses(two);
  assert.equal(a.length, 16);
  assert.equal(b.length, 16);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) <= 1e-4 * Math.abs(x), `step ${i + 1}: 1 rank ${x}, 2 ranks ${b[i]}`));
  const queued = readFileSync(path.join(two, "metrics.jsonl"), "utf8").includes('"queue":true');
  assert.ok(queued, "the queue comes into use (length 64 = two steps of 32, from step 4)");
});

test("a rank killed mid-run fails the stage naming the rank; the rerun resumes to the uninterrupted run's weights", { timeout: 600_000 }, async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const whole = mkdtempSync(path.join(tmpdir(), "seer-torch-whole-"));
  const cut = mkdtempSync(path.join(tmpdir(), "seer-torch-cut-"));
  const uninterrupted = await run(py, whole, 2);

  // Kill rank 1 once rank 0 reports the checkpoint of step 8.
  const { stage, dataset } = await pretrainStage();
  const jobFile = await writePretrainJob(stage, dataset, "train", cut, { threads: 1, loaderWorkers: 0, device: "cpu", rendezvousTimeoutS: 120 });
  const pids = new Map<number, number>();
  const killer = (line: string) => {
    if (line.startsWith("step 8/")) process.kill(pids.get(1)!, "SIGKILL");
  };
  let failure: unknown = null;
  try {
    await launchRanks({ python: py, packageDir: PACKAGE, jobFile, ranks: 2, log: killer, progress: () => undefined, onSpawn: (r, pid) => pids.set(r, pid) });
  } catch (e) {
    failure = e;
  }
  assert.ok(failure instanceof RankError, `the stage fails with a RankError: ${String(failure)}`);
  assert.match(failure.message, /rank 1 on \S+ was killed by SIGKILL/);
  assert.equal(failure.rank, 1);
  const left = readdirSync(path.join(cut, "checkpoints"));
  assert.ok(left.some((f) => /ckpt-0+8\.seerckpt/.test(f)), `a checkpoint of step 8 is left: ${left.join(", ")}`);

  const logs: string[] = [];
  const resumed = await run(py, cut, 2, (l) => logs.push(l));
  assert.ok(logs.some((l) => /resumed from ckpt-0+8\.seerckpt at step 8/.test(l)), logs.join("\n"));
  assert.equal(resumed["resumedFrom"], 8);
  assert.equal(resumed["weightsSha256"], uninterrupted["weightsSha256"], "the same trunk, bit for bit");
  assert.deepEqual(losses(cut), losses(whole));
});
