/**
 * A torch process group across SSH hosts (`--nnodes`), without the hosts: the option's
 * parsing, the world size in the key, the job envelope, placement on the first N SSH hosts
 * (and the errors when there are too few or none), and the group runner's failure handling.
 * test/cli/torch-ssh.test.ts runs it for real on h1 and h2.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExecGraph } from "../../../contract/graph.js";
import { parseNodes, ProcsError, resolveNodes, stageEngine, worldOf, type NodeGroup } from "../../../runtime/engines/engine.js";
import { interfaceWith } from "../../../runtime/engines/torch/interface.js";
import { stageKeys } from "../../../runtime/exec/keys.js";
import { Dispatcher } from "../../../runtime/hosts/dispatch.js";
import { GroupFailedError, randomPort, runGroup, GROUP_PORTS } from "../../../runtime/hosts/group.js";
import { HostDownError, StageFailedError, type Host, type NodeHost, type StageRun } from "../../../runtime/hosts/host.js";
import { readJob, stageJob, writeJob } from "../../../runtime/hosts/job.js";
import { seer } from "../../helpers/cli.js";
import { ROOT } from "../../helpers/paths.js";
import { byKind, tinyGraph } from "../../helpers/tiny-graph.js";
import { needTorch } from "../../helpers/torch.js";

const SEER = "0.0.0-test";

const graph = (): ExecGraph => tinyGraph(SEER);
const provenance = () => {
  throw new Error("unused");
};

test("--nnodes: a whole number of hosts from 1 to 64, else a usage error; SEER_NNODES", () => {
  assert.equal(parseNodes("2"), 2);
  assert.equal(parseNodes(" 64 "), 64);
  for (const bad of ["0", "65", "1.5", "-1", "two", ""]) assert.throws(() => parseNodes(bad), (e: unknown) => e instanceof ProcsError && /--nnodes wants a whole number of hosts from 1 to 64/.test(e.message), bad);
  assert.equal(resolveNodes({ SEER_NNODES: "3" }), 3);
  assert.equal(resolveNodes({}), undefined);
  const r = seer(["plan", "x.seer", "--nnodes", "0"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--nnodes wants a whole number of hosts from 1 to 64, not '0'/);
});

test("keys: the world size (ranks per host x hosts) joins a torch stage's key; one host keeps the old keys", () => {
  const g = graph();
  const swav = byKind(g, "pretrain-swav").name;
  const key = (procs?: number, nodes?: number) => stageKeys(g, new Map(), "cpu", "torch", worldOf({ ...(procs ? { procs } : {}), ...(nodes ? { nodes } : {}) })).get(swav);
  assert.equal(key(undefined, 1), key());
  assert.notEqual(key(undefined, 2), key());
  assert.equal(key(undefined, 2), key(2, 1), "2 ranks are 2 ranks, on one host or two");
  assert.notEqual(key(2, 2), key(2, 1));
});

test("job envelopes carry the node's place in the group; stageEngine keeps it for torch stages only", () => {
  const g = graph();
  const swav = byKind(g, "pretrain-swav");
  const group: NodeGroup = { node: 1, nodes: 2, addr: "10.123.0.11", port: 29_999 };
  const place = { store: ".", backend: { name: "wasm" as const, tfjsBackend: "wasm", reason: "test", tried: [], tfjsVersion: "4.22.0" }, engine: { name: "torch" as const, python: "/usr/bin/python3", nodes: 2, group }, baseDir: "." };
  const dir = mkdtempSync(path.join(tmpdir(), "seer-group-job-"));
  writeJob(dir, stageJob({ stage: swav, key: "k", upstream: new Map(), provenance }, SEER, place));
  assert.deepEqual(readJob(dir, SEER).engine, { name: "torch", python: "/usr/bin/python3", nodes: 2, group });
  assert.deepEqual(stageEngine(byKind(g, "prepare-data"), place.engine), { name: "tfjs" });
  const file = path.join(dir, "job.json");
  const bad = JSON.parse(readFileSync(file, "utf8")) as { engine: { group: NodeGroup } };
  bad.engine.group.node = 2;
  writeFileSync(file, JSON.stringify(bad));
  assert.throws(() => readJob(dir, SEER), /its engine is not \{name, python\?, procs\?, nodes\?, group\?\}/);
});

function nodeHost(name: string, o: { engines?: ("tfjs" | "torch")[]; run?: NodeHost["runNode"] } = {}): NodeHost {
  return {
    name,
    kind: "ssh",
    reachAt: `${name}.example`,
    capacity: { gpus: 0, maxJobs: 2, maxTraining: 1, engines: o.engines ?? ["tfjs", "torch"] },
    holds: () => false,
    run: async () => undefined,
    runNode: o.run ?? (async () => undefined),
    close: async () => undefined,
  };
}

const localHost: Host = { name: "here", kind: "local", capacity: { gpus: 0, maxJobs: 2, maxTraining: 1, engines: ["tfjs", "torch"] }, holds: () => false, run: async () => undefined, close: async () => undefined };

test("placement: a torch stage across N hosts takes the first N SSH hosts that run torch, all free at once; too few: said like missing resources", () => {
  const g = graph();
  const swav = byKind(g, "pretrain-swav");
  const d = new Dispatcher({ hosts: [localHost, nodeHost("a", { engines: ["tfjs"] }), nodeHost("b"), nodeHost("c"), nodeHost("d")], retries: 0, engine: "torch", nodes: 2, provenance });
  const p = d.place(swav, new Map());
  assert.ok(p && typeof p !== "string");
  assert.equal(p.host, "b", "node 0 is the first SSH host that runs torch");
  assert.equal(d.place(swav, new Map()), undefined, "b and c are training: the next group waits (never d alone)");
  assert.ok(typeof d.place(byKind(g, "prepare-data"), new Map()) !== "string", "other stages place as before");
  p.release();
  const again = d.place(swav, new Map());
  assert.ok(again && typeof again !== "string" && again.host === "b", "a rerun's node 0 is the same host");

  const few = new Dispatcher({ hosts: [localHost, nodeHost("a", { engines: ["tfjs"] }), nodeHost("b")], retries: 0, engine: "torch", nodes: 2, provenance });
  assert.equal(few.place(swav, new Map()), "no 2 SSH hosts in the inventory have 1 GPU(s) and the torch engine for a process group across 2 hosts (--nnodes 2); only b has (here: local, 0 GPU(s), engines tfjs, torch; a: ssh, 0 GPU(s), engines tfjs; b: ssh, 0 GPU(s), engines tfjs, torch)");
  const none = new Dispatcher({ hosts: [localHost], retries: 0, engine: "torch", nodes: 3, provenance });
  assert.match(String(none.place(swav, new Map())), /^no 3 SSH hosts in the inventory have 1 GPU\(s\) and the torch engine for a process group across 3 hosts \(--nnodes 3\); none has \(here: local/);
});

test("--nnodes 2 without an inventory: refused before anything runs, exit 3", (t) => {
  if (!needTorch(t)) return;
  const dir = mkdtempSync(path.join(tmpdir(), "seer-group-cli-"));
  writeFileSync(path.join(dir, "tiny.seer"), readFileSync(path.join(ROOT, "test", "fixtures", "run", "tiny.seer"), "utf8"));
  const r = seer(["run", "tiny.seer", "--engine", "torch", "--nnodes", "2", "--only", "pretrain/swav_tiny"], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /pretrain\/swav_tiny asks for a torch process group across 2 hosts \(--nnodes\); that needs 2 SSH hosts of an inventory \(--hosts\) that run torch, and this run has none/);
});

function stageRun(signal = new AbortController().signal): StageRun & { lines: string[] } {
  const lines: string[] = [];
  const g = graph();
  return { stage: byKind(g, "pretrain-swav"), key: "k", upstream: new Map(), out: "/nonexistent", work: "/nonexistent", log: (l) => void lines.push(l), progress: () => undefined, signal, provenance, lines };
}

test("group runner: every node gets its place and node 0's address; node 0's outputs are the stage's", async () => {
  const seen: [string, NodeGroup][] = [];
  const run = async (name: string, job: StageRun, group: NodeGroup) => {
    seen.push([name, group]);
    job.log(`hello from ${name}`);
    return group.node === 0 ? { files: [], from: name } : undefined;
  };
  const members = ["h1", "h2", "h3"].map((n) => nodeHost(n, { run: (job, group) => run(n, job, group) }));
  const r = stageRun();
  const out = await runGroup(members, r, { port: () => 31_000 });
  assert.deepEqual(out, { files: [], from: "h1" });
  assert.deepEqual(seen.sort(), [["h1", { node: 0, nodes: 3, addr: "h1.example", port: 31_000 }], ["h2", { node: 1, nodes: 3, addr: "h1.example", port: 31_000 }], ["h3", { node: 2, nodes: 3, addr: "h1.example", port: 31_000 }]]);
  assert.deepEqual(r.lines.sort(), ["h2 (node 1): hello from h2", "h3 (node 2): hello from h3", "hello from h1"]);
  const p = randomPort(() => 0.999999);
  assert.ok(p >= GROUP_PORTS.low && p < GROUP_PORTS.high);
});

test("group runner: a node that fails stops the others and the stage fails naming it; a taken port is tried once more; a host that is down stays a HostDownError", async () => {
  let node0Aborted = false;
  const h1 = nodeHost("h1", { run: (job) => new Promise((_, reject) => job.signal.addEventListener("abort", () => { node0Aborted = true; reject(new StageFailedError("cancelled")); })) });
  const h2 = nodeHost("h2", { run: async () => { throw new StageFailedError("rank 1 of 2 on h2: out of memory"); } });
  await assert.rejects(runGroup([h1, h2], stageRun(), { port: () => 31_001 }), (e: unknown) => e instanceof GroupFailedError && e.message === "the process group of 2 nodes failed: node 1 on h2: rank 1 of 2 on h2: out of memory");
  assert.ok(node0Aborted);

  const ports: number[] = [];
  const taken = nodeHost("h1", { run: async (_job, g) => { ports.push(g.port); if (ports.length === 1) throw new StageFailedError("rank 0 of 2 on h1: The server socket has failed to bind to [::]:31002 (errno: 98 - Address already in use)."); return { files: [], from: "h1" }; } });
  const r = stageRun();
  let n = 31_002;
  assert.deepEqual(await runGroup([taken, nodeHost("h2")], r, { port: () => n++ }), { files: [], from: "h1" });
  assert.deepEqual(ports, [31_002, 31_003]);
  assert.match(r.lines.join("\n"), /the rendezvous port was taken on h1; trying another/);

  const down = nodeHost("h2", { run: async () => { throw new HostDownError("h2", "connection lost"); } });
  await assert.rejects(runGroup([nodeHost("h1", { run: (job) => new Promise((_, reject) => job.signal.addEventListener("abort", () => reject(new StageFailedError("cancelled")))) }), down], stageRun()), HostDownError);
});

test("the interface that reaches an address is the one holding the local address used", () => {
  assert.equal(interfaceWith("10.0.0.5", { lo: [{ address: "127.0.0.1", netmask: "255.0.0.0", family: "IPv4", mac: "00:00:00:00:00:00", internal: true, cidr: "127.0.0.1/8" }], eth0: [{ address: "10.0.0.5", netmask: "255.255.255.0", family: "IPv4", mac: "02:00:00:00:00:01", internal: false, cidr: "10.0.0.5/24" }] }), "eth0");
  assert.equal(interfaceWith("10.9.9.9", {}), undefined);
});
