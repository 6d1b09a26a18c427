/**
 * One torch process group across two SSH hosts (the network-namespace hosts h1 and h2 of
 * scripts/cluster, each with its own work folder): `seer run --engine torch --nnodes 2
 * --hosts` sends the pretraining to h1 (node 0, the rendezvous) and h2 (node 1); each starts
 * its rank, they meet at h1's inventory address, and the loss trajectory equals a local
 * one-process run's within the tolerance of test/engines/torch-worker.test.ts (1e-4 relative:
 * the same sums in another order).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { need, netnsHosts, seerAsync, shortTemp, type NetnsHosts } from "../helpers/cluster.js";
import { needTorch } from "../helpers/torch.js";
import { localTorchRun, losses, pretrainOf, sameTrajectory, torchProject } from "../helpers/torch-runs.js";

function sshHost(h: NetnsHosts, host: "h1" | "h2", dir: string): string {
  return [`  - name: ${host}`, "    kind: ssh", `    address: root@${h.ip[host]}`, `    identity: ${JSON.stringify(h.key)}`, `    known_hosts: ${JSON.stringify(h.knownHosts)}`, `    workdir: ${JSON.stringify(dir)}`, "    engines: [tfjs, torch]", "    python: /usr/bin/python3"].join("\n");
}

/** A work folder whose installed builds are shared with the other SSH tests (one copy per build and host). */
function workdir(tmp: string, host: string): string {
  const dir = path.join(tmp, `w-${host}`);
  mkdirSync(dir, { recursive: true });
  const install = `/tmp/seer-test-install-${host}`;
  mkdirSync(install, { recursive: true });
  symlinkSync(install, path.join(dir, "seer"));
  return dir;
}

test("ssh: one torch process group across h1 and h2 (--nnodes 2) trains like one local process", { timeout: 900_000 }, async (t) => {
  const h = need(t, netnsHosts());
  if (!h || !needTorch(t)) return;
  const tmp = shortTemp("seer-torch-ssh-");
  const l = await localTorchRun(tmp);

  const remote = torchProject(tmp, "remote");
  const w1 = workdir(tmp, "h1"), w2 = workdir(tmp, "h2");
  writeFileSync(path.join(remote, "hosts.yaml"), `hosts:\n${sshHost(h, "h1", w1)}\n${sshHost(h, "h2", w2)}\n`);
  const r = await seerAsync(["run", "tiny.seer", "--engine", "torch", "--nnodes", "2", "--hosts", "hosts.yaml", "--only", "pretrain/swav_tiny", "--json"], { cwd: remote, timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pretrain\/swav_tiny: on h1 and h2: one process group across 2 nodes, rendezvous on h1 \(10\.123\.0\.11\)/);
  assert.match(r.stderr, /pretrain\/swav_tiny: engine: torch \(.+\), 1 rank on h1, node 0 of 2 of a process group of 2 ranks across hosts \(ranks 0\.\.0; rendezvous at 10\.123\.0\.11:\d+\)/);
  assert.match(r.stderr, /pretrain\/swav_tiny: h2 \(node 1\): engine: torch \(.+\), 1 rank on h2, node 1 of 2 of a process group of 2 ranks across hosts \(ranks 1\.\.1;/);

  const one = pretrainOf(l.stdout), two = pretrainOf(r.stdout);
  assert.equal(two.host, "h1");
  assert.notEqual(two.id, one.id, "a process group of 2 ranks keys apart from one process");
  const worst = sameTrajectory(losses(l.project, one.id), losses(remote, two.id), "h1+h2");
  // Node 0 published the stage on h1; node 1 kept nothing on h2.
  assert.deepEqual(readdirSync(path.join(w1, ".seer", "stages")).includes(two.id), true);
  assert.equal(readdirSync(path.join(w2, ".seer", "stages")).includes(two.id), false);
  process.stderr.write(`torch-ssh: largest relative loss difference per step ${worst.toExponential(2)}\n`);
});
