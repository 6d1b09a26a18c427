/**
 * What the process-group tests (torch-slurm, torch-ssh) share: a project holding the torch
 * fixture recipe, a local one-process run of its pretraining as the reference, and the loss
 * trajectory of a published pretraining.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { seerAsync } from "./cluster.js";
import { FIXTURES } from "./paths.js";

export interface Summary {
  run_dir: string;
  stages: { name: string; id: string; kind: string; host: string; status: string }[];
}

/** `tmp/name` with test/fixtures/torch/tiny.seer in it. */
export function torchProject(tmp: string, name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(FIXTURES, "torch", "tiny.seer"), path.join(dir, "tiny.seer"));
  return dir;
}

/** The pretraining's stage in a `--json` summary. */
export const pretrainOf = (stdout: string): Summary["stages"][number] => (JSON.parse(stdout) as Summary).stages.find((x) => x.kind === "pretrain-swav")!;

/** Runs the fixture's pretraining here in one process; its summary's stdout. */
export async function localTorchRun(tmp: string): Promise<{ project: string; stdout: string }> {
  const project = torchProject(tmp, "local");
  const l = await seerAsync(["run", "tiny.seer", "--engine", "torch", "--only", "pretrain/swav_tiny", "--json"], { cwd: project, timeoutMs: 600_000 });
  assert.equal(l.code, 0, l.stderr);
  return { project, stdout: l.stdout };
}

export const losses = (project: string, id: string): number[] =>
  readFileSync(path.join(project, ".seer", "stages", id, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { loss: number }).loss);

/** Asserts two loss trajectories agree within `rel` per step; returns the largest relative difference. */
export function sameTrajectory(one: number[], two: number[], what: string, rel = 1e-4): number {
  assert.equal(two.length, one.length);
  one.forEach((x, i) => assert.ok(Math.abs(x - two[i]!) <= rel * Math.abs(x), `step ${i + 1}: local ${x}, ${what} ${two[i]}`));
  return Math.max(...one.map((x, i) => Math.abs(x - two[i]!) / Math.abs(x)));
}
