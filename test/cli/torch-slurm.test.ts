/**
 * The torch engine's process group under Slurm (scripts/cluster/start-slurm.sh, one node with
 * two CPUs): `seer run --engine torch --nproc-per-node 2 --hosts` submits the pretraining with
 * `--ntasks-per-node=2`; the stage starts its two ranks with srun, which take their ranks from
 * SLURM_PROCID; the loss trajectory equals a local one-process run's within the tolerance of
 * test/engines/torch-worker.test.ts (1e-4 relative: the same sums in another order).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { need, seerAsync, shortTemp, slurmConf, slurmLogin } from "../helpers/cluster.js";
import { FIXTURES } from "../helpers/paths.js";
import { needTorch } from "../helpers/torch.js";

interface Summary {
  stages: { name: string; id: string; kind: string; host: string; status: string }[];
}

const losses = (project: string, id: string): number[] =>
  readFileSync(path.join(project, ".seer", "stages", id, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { loss: number }).loss);

test("slurm: two torch ranks started by srun train like one local process", { timeout: 900_000 }, async (t) => {
  if (!need(t, slurmLogin()) || !needTorch(t)) return;
  const tmp = shortTemp("seer-torch-slurm-");
  const project = (name: string) => {
    const dir = path.join(tmp, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(FIXTURES, "torch", "tiny.seer"), path.join(dir, "tiny.seer"));
    return dir;
  };
  const local = project("local");
  const l = await seerAsync(["run", "tiny.seer", "--engine", "torch", "--only", "pretrain/swav_tiny", "--json"], { cwd: local, timeoutMs: 600_000 });
  assert.equal(l.code, 0, l.stderr);

  const remote = project("remote");
  const workdir = path.join(tmp, "w");
  mkdirSync(workdir);
  writeFileSync(path.join(remote, "hosts.yaml"), ["hosts:", "  - name: cluster", "    kind: slurm", `    workdir: ${JSON.stringify(workdir)}`, "    engines: [tfjs, torch]", "    poll_interval: 0.5", "    env:", `      SLURM_CONF: ${JSON.stringify(slurmConf())}`, ""].join("\n"));
  const r = await seerAsync(["run", "tiny.seer", "--engine", "torch", "--nproc-per-node", "2", "--hosts", "hosts.yaml", "--only", "pretrain/swav_tiny", "--json"], { cwd: remote, timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pretrain\/swav_tiny: Slurm job \d+ on cluster/);
  assert.match(r.stderr, /pretrain\/swav_tiny: engine: torch \(.+\), 2 ranks started by srun in this Slurm allocation/);

  const id = (s: string) => (JSON.parse(s) as Summary).stages.find((x) => x.kind === "pretrain-swav")!.id;
  const one = losses(local, id(l.stdout)), two = losses(remote, id(r.stdout));
  assert.equal(two.length, one.length);
  one.forEach((x, i) => assert.ok(Math.abs(x - two[i]!) <= 1e-4 * Math.abs(x), `step ${i + 1}: local ${x}, srun ${two[i]}`));
});
