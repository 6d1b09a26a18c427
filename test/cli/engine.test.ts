/** `--engine` and `--backend`: an unknown name (exit 2), torch found (plan) or not (exit 3, what was tried), doctor's engines. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";
import { needTorch } from "../helpers/torch.js";

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-engine-cli-"));
  copyFileSync(path.join(ROOT, "test", "fixtures", "run", "tiny.seer"), path.join(dir, "tiny.seer"));
  return dir;
}

test("--engine bogus is a usage error naming the engines (exit 2); SEER_ENGINE too", () => {
  const dir = project();
  const r = seer(["plan", "tiny.seer", "--engine", "bogus"], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /unknown engine 'bogus'; expected one of tfjs, torch/);
  const e = seer(["plan", "tiny.seer"], { cwd: dir, env: { SEER_ENGINE: "jax" } });
  assert.equal(e.code, 2, e.stderr);
  for (const cmd of ["run", "pretrain", "plan", "why", "reproduce"]) assert.match(seer([cmd, "--help"]).stdout, /--engine <name>/, cmd);
});

test("an unknown backend (--backend cuda, SEER_BACKEND=cuda) is a usage error with a hint, exit 2, not an internal error", () => {
  const dir = project();
  for (const [args, env, where] of [[["doctor", "--backend", "cuda"], {}, "--backend"], [["plan", "tiny.seer"], { SEER_BACKEND: "cuda" }, "SEER_BACKEND"]] as const) {
    const r = seer([...args], { cwd: dir, env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`unknown backend 'cuda' \\(${where}\\); expected one of auto, `));
    assert.match(r.stderr, /help: for NVIDIA GPUs use `--engine torch`/);
    assert.doesNotMatch(r.stderr, /Internal error/);
  }
});

test("seer plan --engine torch: the pretraining stage runs on torch, with its own key", (t) => {
  if (!needTorch(t)) return;
  const dir = project();
  const tfjs = seer(["plan", "tiny.seer", "--json"], { cwd: dir });
  assert.equal(tfjs.code, 0, tfjs.stderr);
  const r = seer(["plan", "tiny.seer", "--engine", "torch", "--json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  type Plan = { engine: string; torch?: { version: string }; stages: { name: string; kind: string; engine: string; id: string }[] };
  const a = JSON.parse(tfjs.stdout) as Plan;
  const b = JSON.parse(r.stdout) as Plan;
  assert.equal(a.engine, "tfjs");
  assert.equal(b.engine, "torch");
  assert.match(b.torch?.version ?? "", /^\d+\.\d+/);
  for (const s of b.stages) {
    assert.equal(s.engine, s.kind === "pretrain-swav" ? "torch" : "tfjs", s.name);
    const before = a.stages.find((x) => x.name === s.name)!;
    if (s.kind === "pretrain-swav") assert.notEqual(s.id, before.id);
    if (s.kind === "prepare-data") assert.equal(s.id, before.id);
  }
});

test("seer plan --engine torch without an interpreter that has torch: exit 3, what was tried, how to fix", () => {
  const dir = project();
  const r = seer(["plan", "tiny.seer", "--engine", "torch"], { cwd: dir, env: { SEER_PYTHON: "/nonexistent/python3" } });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /the torch engine needs a Python interpreter with torch 1\.13 or newer, and none was found \(tried \/nonexistent\/python3: not found\)/);
  assert.match(r.stderr, /apt-get install python3-torch python3-torchvision/);
  assert.match(r.stderr, /SEER_PYTHON/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  // tfjs needs no Python.
  assert.equal(seer(["plan", "tiny.seer"], { cwd: dir, env: { SEER_PYTHON: "/nonexistent/python3" } }).code, 0);
});

test("seer doctor --format json lists the engines: tfjs, and torch found or what was tried", () => {
  const r = seer(["doctor", "--format", "json"], { env: { SEER_BACKEND: "cpu" } });
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout) as { engines: { tfjs: { backend: string }; torch: { found: boolean; probe?: { torch: string; fsdp: { ok: boolean } }; tried?: unknown[] } } };
  assert.equal(d.engines.tfjs.backend, "cpu");
  if (d.engines.torch.found) assert.match(d.engines.torch.probe?.torch ?? "", /^\d+\.\d+/);
  else assert.ok((d.engines.torch.tried ?? []).length > 0);
  const none = seer(["doctor", "--format", "json"], { env: { SEER_BACKEND: "cpu", SEER_PYTHON: "/nonexistent/python3" } });
  const n = JSON.parse(none.stdout) as { engines: { torch: { found: boolean; tried: { python: string; problem: string }[] } } };
  assert.deepEqual(n.engines.torch, { ...n.engines.torch, found: false, tried: [{ python: "/nonexistent/python3", problem: "not found" }] });
  assert.match(seer(["doctor"], { env: { SEER_BACKEND: "cpu" } }).stdout, /^engines\n {2}tfjs {6}backend cpu/m);
});
