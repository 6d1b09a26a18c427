/**
 * Choosing the engine: names, which engine runs which stage, cache keys (tfjs stages key as
 * before engines existed; a stage torch runs keys differently), the plan's "engine changed",
 * the job envelope, inventories that declare engines and placement by engine, and the
 * interpreter search order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExecGraph } from "../../../contract/graph.js";
import { EngineNameError, parseEngine, resolveEngine, runsOnEngine, stageEngine } from "../../../runtime/engines/engine.js";
import { candidates, readProbe, searchTorch, torchPackageDir } from "../../../runtime/engines/torch/python.js";
import { stageKeys, topoOrder, usesBackend } from "../../../runtime/exec/keys.js";
import { planGraph } from "../../../runtime/exec/plan.js";
import { Store } from "../../../runtime/exec/store.js";
import { Dispatcher } from "../../../runtime/hosts/dispatch.js";
import type { Host } from "../../../runtime/hosts/host.js";
import { parseInventory } from "../../../runtime/hosts/inventory.js";
import { readJob, stageJob, writeJob } from "../../../runtime/hosts/job.js";
import { byKind, tinyGraph } from "../../helpers/tiny-graph.js";

const SEER = "0.0.0-test";

const graph = (): ExecGraph => tinyGraph(SEER);

/** Keys as stageKeys computed them before engines could be chosen. */
function oldKeys(g: ExecGraph, fingerprints: ReadonlyMap<string, string>, backend: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const s of topoOrder(g)) {
    const h = createHash("sha256").update(s.id);
    for (const i of s.inputs) h.update(`\n${keys.get(i)}`);
    if (s.kind === "prepare-data") h.update(`\ndata ${fingerprints.get(s.name) ?? "?"}`);
    if (usesBackend(s)) h.update(`\nbackend ${backend}`);
    keys.set(s.name, h.digest("hex"));
  }
  return keys;
}

test("parseEngine: tfjs and torch (any case, trimmed); anything else names the valid ones", () => {
  assert.equal(parseEngine("tfjs"), "tfjs");
  assert.equal(parseEngine(" Torch "), "torch");
  assert.throws(() => parseEngine("pytorch"), (e: unknown) => e instanceof EngineNameError && /unknown engine 'pytorch'; expected one of tfjs, torch/.test(e.message));
  assert.equal(resolveEngine(undefined, {}), "tfjs");
  assert.equal(resolveEngine(undefined, { SEER_ENGINE: "torch" }), "torch");
  assert.equal(resolveEngine("tfjs", { SEER_ENGINE: "torch" }), "tfjs");
});

test("runsOnEngine: torch runs pretrain-swav stages only; the interpreter goes only with a torch stage", () => {
  const g = graph();
  const swav = byKind(g, "pretrain-swav");
  const data = byKind(g, "prepare-data");
  assert.equal(runsOnEngine(swav, "torch"), "torch");
  assert.equal(runsOnEngine(swav, "tfjs"), "tfjs");
  assert.equal(runsOnEngine(data, "torch"), "tfjs");
  assert.deepEqual(stageEngine(swav, { name: "torch", python: "/usr/bin/python3" }), { name: "torch", python: "/usr/bin/python3" });
  assert.deepEqual(stageEngine(data, { name: "torch", python: "/usr/bin/python3" }), { name: "tfjs" });
});

test("keys: tfjs keys are the keys of before; torch changes the pretrain-swav stage's key and everything downstream of it only", () => {
  const g = graph();
  const fp = new Map(g.stages.filter((s) => s.kind === "prepare-data").map((s) => [s.name, `fp-${s.name}`]));
  const before = oldKeys(g, fp, "wasm");
  assert.deepEqual(stageKeys(g, fp, "wasm"), before);
  assert.deepEqual(stageKeys(g, fp, "wasm", "tfjs"), before);
  const torch = stageKeys(g, fp, "wasm", "torch");
  const swav = byKind(g, "pretrain-swav");
  assert.notEqual(torch.get(swav.name), before.get(swav.name));
  // The torch stage's key does not depend on the tfjs backend.
  assert.equal(stageKeys(g, fp, "cpu", "torch").get(swav.name), torch.get(swav.name));
  const downstream = new Set<string>([swav.name]);
  for (const s of topoOrder(g)) if (s.inputs.some((i) => downstream.has(i))) downstream.add(s.name);
  for (const s of g.stages) assert.equal(torch.get(s.name) === before.get(s.name), !downstream.has(s.name), s.name);
});

test("plan: a stage last published by tfjs, now run by torch, says `engine changed (tfjs -> torch)`", () => {
  const g = graph();
  const fp = new Map(g.stages.filter((s) => s.kind === "prepare-data").map((s) => [s.name, `fp-${s.name}`]));
  const store = new Store(mkdtempSync(path.join(tmpdir(), "seer-engine-store-")));
  const tfjsKeys = stageKeys(g, fp, "wasm");
  store.writeIndex(Object.fromEntries(g.stages.map((s) => [s.name, { key: tfjsKeys.get(s.name)!, id: s.id, spec: s.spec, inputs: Object.fromEntries(s.inputs.map((i) => [i, tfjsKeys.get(i)!])), seer: SEER, backend: "wasm" }])));
  const keys = stageKeys(g, fp, "wasm", "torch");
  const plan = planGraph(g, { keys, store, seer: SEER, backend: "wasm", engine: "torch", fingerprints: fp });
  const swav = plan.find((d) => d.stage.kind === "pretrain-swav")!;
  // Its data stage has no output in this store, so it runs too (its input changed).
  assert.deepEqual(swav.reasons, ["input changed: data/shapes", "engine changed (tfjs -> torch)"]);
  const data = plan.find((d) => d.stage.kind === "prepare-data")!;
  assert.deepEqual(data.reasons, ["output missing"]);
  // And back: an index entry written by torch, planned for tfjs.
  store.writeIndex({ [swav.stage.name]: { key: keys.get(swav.stage.name)!, id: swav.stage.id, spec: swav.stage.spec, inputs: Object.fromEntries(swav.stage.inputs.map((i) => [i, keys.get(i)!])), seer: SEER, backend: "wasm", engine: "torch" } });
  const back = planGraph(g, { keys: tfjsKeys, store, seer: SEER, backend: "cpu", fingerprints: fp }).find((d) => d.stage.kind === "pretrain-swav")!;
  assert.ok(back.reasons.includes("engine changed (torch -> tfjs)"), back.reasons.join("; "));
  assert.ok(!back.reasons.some((x) => x.startsWith("backend changed")), "a stage that changes engine does not also report the tfjs backend");
});

test("job envelope: the stage's engine travels and reads back; a job without one is tfjs; a bad one is refused", () => {
  const g = graph();
  const swav = byKind(g, "pretrain-swav");
  const data = byKind(g, "prepare-data");
  const dir = mkdtempSync(path.join(tmpdir(), "seer-engine-job-"));
  const backend = { name: "wasm" as const, tfjsBackend: "wasm", reason: "test", tried: [], tfjsVersion: "4.22.0" };
  const place = { store: ".", backend, engine: { name: "torch" as const, python: "/usr/bin/python3" }, baseDir: dir };
  const provenance = () => { throw new Error("not a report"); };
  writeJob(dir, stageJob({ stage: swav, key: "k", upstream: new Map(), provenance }, SEER, place));
  assert.deepEqual(readJob(dir, SEER).engine, { name: "torch", python: "/usr/bin/python3" });
  writeJob(dir, stageJob({ stage: data, key: "k", upstream: new Map(), provenance }, SEER, place));
  assert.deepEqual(readJob(dir, SEER).engine, { name: "tfjs" });
  const raw = JSON.parse(readFileSync(path.join(dir, "job.json"), "utf8")) as Record<string, unknown>;
  delete raw["engine"];
  writeFileSync(path.join(dir, "job.json"), JSON.stringify(raw));
  assert.deepEqual(readJob(dir, SEER).engine, { name: "tfjs" });
  writeFileSync(path.join(dir, "job.json"), JSON.stringify({ ...raw, engine: { name: "jax" } }));
  assert.throws(() => readJob(dir, SEER), /unknown engine 'jax'/);
});

test("inventory: `engines` (default [tfjs]) and `python`; an unknown engine is a diagnostic", () => {
  const r = parseInventory("h.yaml", "hosts:\n  - name: gpu\n    kind: ssh\n    address: me@gpu\n    engines: [tfjs, torch]\n    python: /opt/torch/.venv/bin/python\n  - name: cpu\n    kind: local\n");
  assert.deepEqual(r.diagnostics, []);
  const [gpu, cpu] = r.inventory!.hosts;
  assert.deepEqual(gpu!.engines, ["tfjs", "torch"]);
  assert.equal(gpu!.python, "/opt/torch/.venv/bin/python");
  assert.deepEqual(cpu!.engines, ["tfjs"]);
  assert.equal(cpu!.python, undefined);
  const bad = parseInventory("h.yaml", "hosts:\n  - name: a\n    kind: local\n    engines: [jax]\n");
  assert.equal(bad.inventory, undefined);
  assert.match(bad.diagnostics[0]!.message, /`engines` must be a list of engines the host runs/);
});

test("placement: a stage torch runs goes only to a host that lists torch; none: said like missing resources", () => {
  const g = graph();
  const swav = byKind(g, "pretrain-swav");
  const data = byKind(g, "prepare-data");
  const host = (name: string, engines: ("tfjs" | "torch")[]): Host => ({ name, kind: "local", capacity: { gpus: 0, maxJobs: 2, maxTraining: 1, engines }, holds: () => false, run: async () => undefined, close: async () => undefined });
  const provenance = () => { throw new Error("unused"); };
  const both = new Dispatcher({ hosts: [host("a", ["tfjs"]), host("b", ["tfjs", "torch"])], retries: 0, engine: "torch", provenance });
  const p = both.place(swav, new Map());
  assert.ok(p && typeof p !== "string");
  assert.equal(p.host, "b");
  const onlyTfjs = new Dispatcher({ hosts: [host("a", ["tfjs"])], retries: 0, engine: "torch", provenance });
  assert.match(String(onlyTfjs.place(swav, new Map())), /^no host in the inventory has 1 GPU\(s\) and the torch engine \(a: 0 GPU\(s\), engines tfjs\)$/);
  const d = onlyTfjs.place(data, new Map());
  assert.ok(d && typeof d !== "string", "tfjs stages still place");
  const tfjsRun = new Dispatcher({ hosts: [host("a", ["tfjs"])], retries: 0, provenance });
  assert.ok(typeof tfjsRun.place(swav, new Map()) !== "string");
});

test("interpreters: SEER_PYTHON alone when set; else the inventory's, /usr/bin/python3, python3", async () => {
  assert.deepEqual(candidates({ env: { SEER_PYTHON: "/x/python" }, python: "/y/python" }), ["/x/python"]);
  assert.deepEqual(candidates({ env: {}, python: "/y/python" }), ["/y/python", "/usr/bin/python3", "python3"]);
  assert.deepEqual(candidates({ env: {} }), ["/usr/bin/python3", "python3"]);
  const r = await searchTorch(["/nonexistent/python"]);
  assert.deepEqual(r, { found: false, missing: { tried: [{ python: "/nonexistent/python", problem: "not found" }] } });
  assert.match(torchPackageDir(), /engines[/\\]torch$/);
});

test("readProbe: no torch, an old torch, and FSDP that does not import", () => {
  const mark = (o: object) => ({ code: 0, stdout: `noise\nSEER_TORCH_PROBE ${JSON.stringify(o)}\n`, stderr: "" });
  assert.deepEqual(readProbe("py", mark({ python: "3.11.2", error: "no torch (ModuleNotFoundError: No module named 'torch')" })), { problem: "no torch (ModuleNotFoundError: No module named 'torch')" });
  assert.deepEqual(readProbe("py", mark({ python: "3.9.1", torch: "1.12.1+cpu" })), { problem: "torch 1.12.1+cpu is older than 1.13" });
  const ok = readProbe("py", mark({ python: "3.11.2", torch: "1.13.0a0", torchvision: null, cuda: null, cuda_build: null, devices: [], distributed: true, gloo: true, nccl: false, fsdp: "ValueError: mutable default" }));
  assert.ok(!("problem" in ok));
  assert.deepEqual(ok.fsdp, { ok: false, reason: "ValueError: mutable default" });
  assert.equal(ok.torch, "1.13.0a0");
  assert.deepEqual(readProbe("py", { code: 127, stdout: "", stderr: "sh: py: not found" }), { problem: "not found" });
});
