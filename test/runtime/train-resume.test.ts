// Kill-and-resume: SIGKILL `seer pretrain` at a random moment, rerun it, and the final weights
// are bitwise those of an uninterrupted run (same backend).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES, ROOT, SEER_BIN } from "../helpers/paths.js";

const RECIPE = path.join(FIXTURES, "runtime", "resume.seer");
const ENV = { SEER_BACKEND: "wasm" };

interface Summary {
  steps: number;
  weightsSha256: string;
  resumedFrom: number | null;
}

function summary(dir: string): Summary {
  return JSON.parse(readFileSync(path.join(dir, "summary.json"), "utf8")) as Summary;
}

/** Starts a pretraining and SIGKILLs it `extraMs` after its first checkpoint appears. */
function runAndKill(out: string, extraMs: number): Promise<{ killedAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEER_BIN, "pretrain", RECIPE, "p", "--out", out, "--workers", "1"], { cwd: ROOT, env: { ...process.env, ...ENV }, stdio: "ignore" });
    const ckpts = path.join(out, "checkpoints");
    const poll = setInterval(() => {
      if (existsSync(ckpts) && readdirSync(ckpts).some((f) => f.endsWith(".seerckpt"))) {
        clearInterval(poll);
        setTimeout(() => child.kill("SIGKILL"), extraMs);
      }
    }, 20);
    child.on("exit", (_code, signal) => {
      clearInterval(poll);
      if (signal !== "SIGKILL") return reject(new Error(`the run finished before it could be killed (raise duration); signal ${signal}`));
      const steps = readdirSync(ckpts).map((f) => /ckpt-(\d+)/.exec(f)?.[1]).filter(Boolean).map(Number);
      resolve({ killedAt: Math.max(...steps) });
    });
  });
}

test("SIGKILL during pretraining, then resume: final weights equal an uninterrupted run's", async () => {
  const straight = mkdtempSync(path.join(tmpdir(), "seer-straight-"));
  const r1 = seer(["pretrain", RECIPE, "p", "--out", straight, "--workers", "1"], { cwd: ROOT, env: ENV });
  assert.equal(r1.code, 0, r1.stderr);
  const a = summary(straight);
  assert.equal(a.steps, 240);
  assert.equal(a.resumedFrom, null);

  const killed = mkdtempSync(path.join(tmpdir(), "seer-killed-"));
  const extra = Math.floor(Math.random() * 2500);
  const { killedAt } = await runAndKill(killed, extra);
  assert.ok(killedAt < 240, `killed at step ${killedAt} (random delay ${extra} ms after the first checkpoint)`);
  assert.ok(!existsSync(path.join(killed, "summary.json")), "a killed run publishes no summary");

  const r2 = seer(["pretrain", RECIPE, "p", "--out", killed, "--workers", "1"], { cwd: ROOT, env: ENV });
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /resumed from ckpt-\d+\.seerckpt at step \d+/);
  const b = summary(killed);
  assert.equal(b.steps, 240);
  assert.ok(b.resumedFrom !== null && b.resumedFrom >= 20);
  assert.equal(b.weightsSha256, a.weightsSha256, `weights differ after a kill at step ~${killedAt} and a resume from ${b.resumedFrom}`);
  // The metrics log has exactly one line per step, even across the kill.
  const steps = readFileSync(path.join(killed, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: number }).step);
  assert.deepEqual(steps, Array.from({ length: 240 }, (_, i) => i + 1));
});

test("a corrupt newest checkpoint is skipped with a warning and the run still ends identically", () => {
  const out = mkdtempSync(path.join(tmpdir(), "seer-corrupt-"));
  const straight = mkdtempSync(path.join(tmpdir(), "seer-straight2-"));
  assert.equal(seer(["pretrain", RECIPE, "p", "--out", straight, "--workers", "1"], { cwd: ROOT, env: ENV }).code, 0);
  assert.equal(seer(["pretrain", RECIPE, "p", "--out", out, "--workers", "1"], { cwd: ROOT, env: ENV }).code, 0);
  // Corrupt the newest checkpoint (step 240) and drop the summary, as if the run died while writing.
  const ckpts = path.join(out, "checkpoints");
  const newest = readdirSync(ckpts).sort().pop()!;
  const bytes = readFileSync(path.join(ckpts, newest));
  bytes[bytes.length - 50] = (bytes[bytes.length - 50] ?? 0) ^ 0xff;
  writeFileSync(path.join(ckpts, newest), bytes); // in place, not atomic: this simulates damage
  const r = seer(["pretrain", RECIPE, "p", "--out", out, "--workers", "1"], { cwd: ROOT, env: ENV });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: ignoring checkpoint .*checksum mismatch/);
  assert.match(r.stderr, /resumed from ckpt-000000220\.seerckpt at step 220/);
  assert.equal(summary(out).weightsSha256, summary(straight).weightsSha256);
});
