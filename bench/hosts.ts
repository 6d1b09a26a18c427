/**
 * Remote hosts (`npm run bench`, with the test servers of scripts/cluster running):
 *  - per-stage overhead of a trivial stage (a `prepare-data` of 64 synthetic images, which
 *    loads no TensorFlow.js) on an SSH host and on Slurm, against the same stage in process
 *    here; every stage has a new key, so nothing is reused; the host is warm (connected, seer
 *    installed, its worker started) as it is for every stage of a run but the first;
 *  - copying a stage's outputs back over SSH (rsync through the shared connection, then
 *    published here, every file checked against the sha256 the worker reported) against a
 *    plain `rsync -a -e ssh` of the same files.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { Stage } from "../contract/graph.js";
import { packageRoot } from "../compiler/modules/std.js";
import { selectBackend } from "../runtime/backend/select.js";
import { hashFiles, digestOf, Store } from "../runtime/exec/store.js";
import type { Host, StageRun } from "../runtime/hosts/host.js";
import type { SshTarget } from "../runtime/hosts/inventory.js";
import { LocalHost } from "../runtime/hosts/local-host.js";
import { SlurmHost } from "../runtime/hosts/slurm-host.js";
import { SshHost } from "../runtime/hosts/ssh-host.js";
import { SEER_VERSION } from "../src/cli/version.js";
import { median } from "./stats.js";

const env = process.env;

function trivial(): Stage {
  return { id: `sha256:${randomBytes(32).toString("hex")}`, name: "data/bench", kind: "prepare-data", spec: { kind: "synthetic", name: "bench", dir: "", attributes: ["group"], generator: "shapes", images: 64, size: 16, classes: 4, groups: 1, shift: 0, seed: 1, splits: null }, inputs: [], resources: { gpus: 0, cpu: true }, source: { file: "bench.seer", declaration: "bench" } };
}

function runOf(store: Store, stage: Stage): StageRun {
  const key = randomBytes(32).toString("hex");
  return { stage, key, upstream: new Map(), out: store.tempDir(), work: store.workDir(key), log: () => undefined, progress: () => undefined, signal: new AbortController().signal, provenance: () => ({ runId: "bench", recipe: "bench", seer: "0", node: process.version, tfjs: "4.22.0", git: null, stages: [] }) };
}

/** Median seconds per stage over `n`, after one warm-up stage. */
async function perStage(host: Host, store: Store, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= n; i++) {
    const run = runOf(store, trivial());
    const t0 = performance.now();
    const expect = await host.run(run);
    store.publish(run.out, { key: run.key, name: run.stage.name, kind: run.stage.kind, seconds: 0 }, expect ?? undefined);
    if (i > 0) times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

function target(): (SshTarget & { label: string }) | undefined {
  if (env["NETNS_IP_h1"] && env["SSH_TEST_KEY"] && env["NETNS_KNOWN_HOSTS"]) return { label: "h1 (network namespace)", address: `root@${env["NETNS_IP_h1"]}`, identity: env["SSH_TEST_KEY"], knownHosts: env["NETNS_KNOWN_HOSTS"], hostKeyChecking: true };
  if (env["SSH_TEST_HOST"] && env["SSH_TEST_KEY"] && env["SSH_TEST_KNOWN_HOSTS"]) return { label: "sshd on 127.0.0.1", address: `${env["SSH_TEST_USER"] ?? "root"}@${env["SSH_TEST_HOST"]}`, port: Number(env["SSH_TEST_PORT"] ?? 22), identity: env["SSH_TEST_KEY"], knownHosts: env["SSH_TEST_KNOWN_HOSTS"], hostKeyChecking: true };
  return undefined;
}

export async function benchHosts(log: (line: string) => void, n = 10): Promise<void> {
  const t = target();
  if (!t) {
    log("remote hosts: skipped (start scripts/cluster/start-sshd.sh or start-netns-hosts.sh and source their env.sh)");
    return;
  }
  const root = mkdtempSync(path.join("/tmp", "seer-bench-"));
  const project = path.join(root, "project");
  mkdirSync(project);
  const store = new Store(project);
  const backend = await selectBackend({ backend: "wasm" });
  const setup = { store, baseDir: project, backend: backend.info, engine: { name: "tfjs" as const }, seer: SEER_VERSION, runId: "bench", packageRoot: packageRoot() };
  const local = new LocalHost({ name: "local", capacity: { gpus: 0, maxJobs: 1, maxTraining: 1 }, store, projectDir: project, baseDir: project, backend, engine: { name: "tfjs" }, seer: SEER_VERSION, seerBin: path.join(packageRoot(), "bin", "seer.js") });
  const ssh = new SshHost({ kind: "ssh", name: "ssh", gpus: 0, maxJobs: 1, engines: ["tfjs"], ssh: t, workdir: path.join(root, "ssh-host"), node: "node" }, { gpus: 0, maxJobs: 1, maxTraining: 1 }, setup);
  try {
    const localS = await perStage(local, store, n);
    const sshS = await perStage(ssh, store, n);
    log(`remote hosts (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs): trivial stage (prepare-data, 64 images), median of ${n}, warm host (${t.label})`);
    log(`  in process here       ${(localS * 1000).toFixed(0)} ms`);
    log(`  SSH host              ${(sshS * 1000).toFixed(0)} ms  overhead ${((sshS - localS) * 1000).toFixed(0)} ms per stage  (goal < 500 ms)`);
    if (env["SLURM_CONF"] && env["SSH_TEST_HOST"]) {
      const login: SshTarget = { address: `${env["SSH_TEST_USER"] ?? "root"}@${env["SSH_TEST_HOST"]}`, port: Number(env["SSH_TEST_PORT"] ?? 22), identity: env["SSH_TEST_KEY"]!, knownHosts: env["SSH_TEST_KNOWN_HOSTS"]!, hostKeyChecking: true };
      const slurm = new SlurmHost({ kind: "slurm", name: "slurm", gpus: 0, maxJobs: 1, engines: ["tfjs"], login, workdir: path.join(root, "slurm-host"), node: "node", gpusPerNode: 0, maxNodes: 1, env: {}, pollSeconds: 0.5 }, { gpus: 0, maxJobs: 1, maxTraining: 1 }, setup);
      try {
        const slurmS = await perStage(slurm, store, Math.max(3, Math.floor(n / 2)));
        log(`  Slurm (login over ssh, squeue every 0.5 s)  ${(slurmS * 1000).toFixed(0)} ms  overhead ${((slurmS - localS) * 1000).toFixed(0)} ms per stage`);
      } finally {
        await slurm.close();
      }
    }
    await transfer(ssh, t, root, store, log);
  } finally {
    await ssh.close();
    await local.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** 16 files of 8 MiB placed in the host's stage cache, then copied back: seer's fetch versus plain rsync. */
async function transfer(ssh: SshHost, t: SshTarget, root: string, store: Store, log: (line: string) => void): Promise<void> {
  const src = path.join(root, "payload");
  mkdirSync(src);
  for (let i = 0; i < 16; i++) writeFileSync(path.join(src, `part-${i}.bin`), randomBytes(8 * 2 ** 20));
  const files = hashFiles(src);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  const key = randomBytes(32).toString("hex");
  const remote = `${ssh.ws.dir}/.seer/stages/${key}`;
  await ssh.ws.remote.push([`${src}/`], remote);
  const sshCmd = ["ssh", "-o", "BatchMode=yes", "-i", t.identity!, "-o", `UserKnownHostsFile=${t.knownHosts}`, ...(t.port ? ["-p", String(t.port)] : [])].join(" ");
  const seer: number[] = [];
  const plain: number[] = [];
  const shared: number[] = [];
  const timed = async (into: number[], f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    into.push((performance.now() - t0) / 1000);
  };
  const ways: (() => Promise<void>)[] = [
    async () => {
      const run = runOf(store, trivial());
      await timed(seer, async () => {
        const expect = await ssh.ws.fetch({ ...run, key }, { ok: true, digest: digestOf(files), files, seconds: 0, reused: false, host: "h" });
        store.publish(run.out, { key, name: run.stage.name, kind: run.stage.kind, seconds: 0 }, expect);
      });
      rmSync(store.stageDir(key), { recursive: true, force: true });
    },
    async () => {
      const a = mkdtempSync(path.join(tmpdir(), "seer-rsync-"));
      await timed(plain, () => execa("rsync", ["-a", "-e", sshCmd, `${t.address}:${remote}/`, `${a}/`]));
      rmSync(a, { recursive: true, force: true });
    },
    async () => {
      const b = mkdtempSync(path.join(tmpdir(), "seer-rsync-"));
      await timed(shared, () => ssh.ws.remote.pull(remote, b));
      rmSync(b, { recursive: true, force: true });
    },
  ];
  // Rotating the order spreads the machine's drift over all three.
  for (let i = 0; i < 5; i++) for (let j = 0; j < ways.length; j++) await ways[(i + j) % ways.length]!();
  const mb = bytes / 2 ** 20;
  const [s, p, q] = [median(seer), median(plain), median(shared)];
  const rate = (x: number) => `${(mb / x).toFixed(0)} MiB/s (${x.toFixed(2)} s)`;
  log(`  outputs back over SSH, ${mb.toFixed(0)} MiB in 16 files, median of 5, order rotated:`);
  log(`    seer (rsync on the shared connection + checked publish)       ${rate(s)}`);
  log(`    plain rsync -a -e ssh (a new connection)                      ${rate(p)}  seer ${((s / p - 1) * 100).toFixed(0)}% vs this (goal within 10%)`);
  log(`    plain rsync -a on seer's shared connection (no hash check)    ${rate(q)}  seer ${((s / q - 1) * 100).toFixed(0)}% vs this`);
}
