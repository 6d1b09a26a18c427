/**
 * `seer run --hosts` on a real one-node Slurm cluster (scripts/cluster/start-slurm.sh),
 * reached through its login node over ssh (the test sshd): the tiny recipe gives a local run's
 * metrics while the pretraining's job is requeued mid-run (it resumes from its checkpoint);
 * stages that become ready together go as one job array; a bad partition fails clearly;
 * `seer hosts test` reports the partition.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { need, seerAsync, shortTemp, slurmConf, slurmLogin, type SshdHost } from "../helpers/cluster.js";
import { ROOT } from "../helpers/paths.js";

const RECIPE = path.join(ROOT, "test", "fixtures", "run", "tiny.seer");
const SET = ["--set", "pretrain_epochs=4"];
const cluster = slurmLogin();
const TMP = typeof cluster === "string" ? "" : shortTemp("seer-test-slurm-");

function project(): string {
  const dir = path.join(TMP, `p-${Math.random().toString(16).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(RECIPE, path.join(dir, "tiny.seer"));
  return dir;
}

function workdir(name: string): string {
  const dir = path.join(TMP, name);
  mkdirSync(dir, { recursive: true });
  const install = "/tmp/seer-test-install-slurm";
  mkdirSync(install, { recursive: true });
  symlinkSync(install, path.join(dir, "seer"));
  return dir;
}

function inventory(dir: string, lines: string[]): string {
  const file = path.join(dir, "hosts.yaml");
  writeFileSync(file, `hosts:\n  - name: cluster\n    kind: slurm\n${lines.map((l) => `    ${l}`).join("\n")}\n`);
  return file;
}

const viaLogin = (s: SshdHost, extra: string[] = []) => [`login: ${s.user}@${s.host}`, `port: ${s.port}`, `identity: ${JSON.stringify(s.key)}`, `known_hosts: ${JSON.stringify(s.knownHosts)}`, "poll_interval: 0.5", "time_limit: 30m", ...extra];

interface Summary {
  stages: { name: string; host: string; status: string }[];
  metrics: Record<string, unknown>;
}

let reference: Summary | undefined;
// The shared installs under /tmp/seer-test-install-* stay (one copy per build); the rest goes.
after(() => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});
before(async () => {
  if (typeof cluster === "string") return;
  const r = await seerAsync(["run", "tiny.seer", "--json", ...SET], { cwd: project() });
  assert.equal(r.code, 0, r.stderr);
  reference = JSON.parse(r.stdout) as Summary;
});

/** `scontrol requeue`, then lift Slurm's requeue delay (a requeued job waits about two minutes to be eligible). */
function requeue(id: string): void {
  const loop = `scontrol requeue "$1" || exit 1; for i in $(seq 1 60); do sleep 0.5; if [ "$(squeue -h -j "$1" -o %T)" = PENDING ]; then scontrol update JobId="$1" StartTime=now && exit 0; fi; done; exit 1`;
  spawn("bash", ["-c", loop, "bash", id], { stdio: "ignore", env: { ...process.env, SLURM_CONF: slurmConf() } });
}

test("slurm: the tiny recipe through the login node gives a local run's metrics, with job arrays and a requeued pretraining that resumes", async (t) => {
  const s = need(t, cluster);
  if (!s) return;
  const dir = project();
  const file = inventory(dir, [...viaLogin(s), `workdir: ${JSON.stringify(workdir("w-run"))}`, "partition: debug", "max_jobs: 4"]);
  let requeued: string | undefined;
  const r = await seerAsync(["run", "tiny.seer", "--json", "--hosts", file, ...SET], {
    cwd: dir,
    watch: (err) => {
      const id = /pretrain\/swav_tiny: Slurm job (\d+) on cluster/.exec(err)?.[1];
      if (!requeued && id && /pretrain\/swav_tiny: step \d+\/16: loss [0-9.]+, checkpoint saved/.test(err)) {
        requeued = id;
        requeue(id);
      }
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Summary;
  assert.deepEqual(out.metrics, reference!.metrics);
  assert.ok(out.stages.every((x) => x.host === "cluster" && x.status === "ran"));
  assert.ok(requeued, "the pretraining's job was never seen saving a checkpoint");
  assert.match(r.stderr, new RegExp(`Slurm requeued job ${requeued} \\(restart 1\\)`));
  assert.match(r.stderr, /pretrain\/swav_tiny: resumed from .* at step \d+/);
  assert.match(r.stderr, /Slurm job \d+_\d+ on cluster/, "no stages went as one job array");
});

test("slurm: a partition that does not exist fails the stage with sbatch's reason and exit 3", async (t) => {
  const s = need(t, cluster);
  if (!s) return;
  const dir = project();
  const file = inventory(dir, [...viaLogin(s), `workdir: ${JSON.stringify(workdir("w-bad"))}`, "partition: nosuch"]);
  const r = await seerAsync(["run", "tiny.seer", "--json", "--hosts", file, "--only", "data/shapes"], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /data\/shapes: FAILED: .*sbatch.*(invalid partition|Invalid partition)/i);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test("slurm: Ctrl-C cancels the running job with scancel and exits 130", async (t) => {
  const s = need(t, cluster);
  if (!s) return;
  const dir = project();
  const file = inventory(dir, [...viaLogin(s), `workdir: ${JSON.stringify(workdir("w-cancel"))}`]);
  let job: string | undefined;
  const r = await seerAsync(["run", "tiny.seer", "--hosts", file, "--only", "pretrain/swav_tiny", ...SET], {
    cwd: dir,
    watch: (err, child) => {
      const id = /pretrain\/swav_tiny: Slurm job (\d+) on cluster/.exec(err)?.[1];
      if (!job && id && /pretrain\/swav_tiny: \d+% \(step/.test(err)) {
        job = id;
        child.kill("SIGINT");
      }
    },
  });
  assert.ok(job, r.stderr);
  assert.equal(r.code, 130, r.stderr);
  const state = spawnSync("squeue", ["-h", "-t", "all", "-j", job, "-o", "%T"], { encoding: "utf8", env: { ...process.env, SLURM_CONF: slurmConf() } }).stdout.trim();
  assert.equal(state, "CANCELLED");
});

test("slurm: seer hosts test reports the partition, through the login node and with sbatch here", async (t) => {
  const s = need(t, cluster);
  if (!s) return;
  const dir = project();
  const file = path.join(dir, "both.yaml");
  writeFileSync(file, ["hosts:", "  - name: via-login", "    kind: slurm", ...viaLogin(s).map((l) => `    ${l}`), `    workdir: ${JSON.stringify(path.join(TMP, "w-test"))}`, "    partition: debug", "  - name: here", "    kind: slurm", `    workdir: ${JSON.stringify(path.join(TMP, "w-here"))}`, "    env:", `      SLURM_CONF: ${JSON.stringify(slurmConf())}`, ""].join("\n"));
  const r = await seerAsync(["hosts", "test", file, "--json"], { cwd: dir, env: { SLURM_CONF: "" } });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const reports = (JSON.parse(r.stdout) as { hosts: { name: string; ok: boolean; node: string; slurm: { version: string; partitions: { name: string; available: string; nodes: number }[] } }[] }).hosts;
  for (const x of reports) {
    assert.equal(x.ok, true, x.name);
    assert.equal(x.node, process.version);
    assert.match(x.slurm.version, /^\d+\.\d+/);
    const debug = x.slurm.partitions.find((p) => p.name === "debug");
    assert.equal(debug?.available, "up");
    assert.equal(debug?.nodes, 1);
  }
});
