/**
 * The torch engine's process group under Slurm (scripts/cluster/start-slurm.sh, one node with
 * two CPUs): `seer run --engine torch --nproc-per-node 2 --hosts` submits the pretraining with
 * `--ntasks-per-node=2`; the stage starts its two ranks with srun, which take their ranks from
 * SLURM_PROCID; the loss trajectory equals a local one-process run's within the tolerance of
 * test/engines/torch-worker.test.ts (1e-4 relative: the same sums in another order).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { need, seerAsync, shortTemp, slurmConf, slurmLogin } from "../helpers/cluster.js";
import { needTorch } from "../helpers/torch.js";
import { localTorchRun, losses, pretrainOf, sameTrajectory, torchProject } from "../helpers/torch-runs.js";

test("slurm: two torch ranks started by srun train like one local process", { timeout: 900_000 }, async (t) => {
  if (!need(t, slurmLogin()) || !needTorch(t)) return;
  const tmp = shortTemp("seer-torch-slurm-");
  const l = await localTorchRun(tmp);

  const remote = torchProject(tmp, "remote");
  const workdir = path.join(tmp, "w");
  mkdirSync(workdir);
  writeFileSync(path.join(remote, "hosts.yaml"), ["hosts:", "  - name: cluster", "    kind: slurm", `    workdir: ${JSON.stringify(workdir)}`, "    engines: [tfjs, torch]", "    poll_interval: 0.5", "    env:", `      SLURM_CONF: ${JSON.stringify(slurmConf())}`, ""].join("\n"));
  const r = await seerAsync(["run", "tiny.seer", "--engine", "torch", "--nproc-per-node", "2", "--hosts", "hosts.yaml", "--only", "pretrain/swav_tiny", "--json"], { cwd: remote, timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pretrain\/swav_tiny: Slurm job \d+ on cluster/);
  assert.match(r.stderr, /pretrain\/swav_tiny: engine: torch \(.+\), 2 ranks started by srun in this Slurm allocation/);

  sameTrajectory(losses(l.project, pretrainOf(l.stdout).id), losses(remote, pretrainOf(r.stdout).id), "srun");
});
