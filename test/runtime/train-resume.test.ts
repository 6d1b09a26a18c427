// Kill-and-resume: SIGKILL `seer pretrain` at a random moment, rerun it, and the final weights
// are bitwise those of an uninterrupted run (same backend).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES, SEER_BIN } from "../helpers/paths.js";

const RECIPE = path.join(FIXTURES, "runtime", "resume.seer");
const ENV = { SEER_BACKEND: "wasm" };

interface Summary {
  steps: number;
  weightsSha256: string;
  resumedFrom: number | null;
  dir: string;
}

/** A fresh project folder holding the recipe (each its own `.seer/` cache). */
function project(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  copyFileSync(RECIPE, path.join(dir, "resume.seer"));
  return dir;
}

function pretrain(dir: string): { summary: Summary; stderr: string } {
  const r = seer(["pretrain", "resume.seer", "p", "--json"], { cwd: dir, env: ENV, timeout: 900_000 });
  assert.equal(r.code, 0, r.stderr);
  return { summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr };
}

/** The stage's checkpoint folder in a project's work area (kept until the stage is published). */
function checkpointDir(dir: string): string | undefined {
  const work = path.join(dir, ".seer", "work");
  if (!existsSync(work)) return undefined;
  const keys = readdirSync(work);
  return keys.length === 1 ? path.join(work, keys[0]!, "checkpoints") : undefined;
}

const checkpoints = (ckpts: string | undefined): string[] => (ckpts && existsSync(ckpts) ? readdirSync(ckpts).filter((f) => f.endsWith(".seerckpt")).sort() : []);

/** Starts a pretraining and SIGKILLs it `extraMs` after its `atLeast`-th checkpoint appears. */
function runAndKill(dir: string, extraMs: number, atLeast = 1): Promise<{ killedAt: number; ckpts: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEER_BIN, "pretrain", "resume.seer", "p"], { cwd: dir, env: { ...process.env, ...ENV }, stdio: "ignore" });
    const poll = setInterval(() => {
      if (checkpoints(checkpointDir(dir)).length >= atLeast) {
        clearInterval(poll);
        setTimeout(() => child.kill("SIGKILL"), extraMs);
      }
    }, 20);
    child.on("exit", (_code, signal) => {
      clearInterval(poll);
      const ckpts = checkpointDir(dir);
      if (signal !== "SIGKILL" || !ckpts) return reject(new Error(`the run finished before it could be killed (raise duration); signal ${signal}`));
      const steps = checkpoints(ckpts).map((f) => /ckpt-(\d+)/.exec(f)?.[1]).filter(Boolean).map(Number);
      resolve({ killedAt: Math.max(...steps), ckpts });
    });
  });
}

test("SIGKILL during pretraining, then resume: final weights equal an uninterrupted run's", async () => {
  const a = pretrain(project("seer-straight-")).summary;
  assert.equal(a.steps, 240);
  assert.equal(a.resumedFrom, null);

  const killed = project("seer-killed-");
  const extra = Math.floor(Math.random() * 2500);
  const { killedAt } = await runAndKill(killed, extra);
  assert.ok(killedAt < 240, `killed at step ${killedAt} (random delay ${extra} ms after the first checkpoint)`);
  assert.ok(!existsSync(path.join(killed, ".seer", "stages")) || readdirSync(path.join(killed, ".seer", "stages")).length <= 1, "a killed pretraining publishes nothing");

  const { summary: b, stderr } = pretrain(killed);
  assert.match(stderr, /resumed from ckpt-\d+\.seerckpt at step \d+/);
  assert.equal(b.steps, 240);
  assert.ok(b.resumedFrom !== null && b.resumedFrom >= 20);
  assert.equal(b.weightsSha256, a.weightsSha256, `weights differ after a kill at step ~${killedAt} and a resume from ${b.resumedFrom}`);
  // The metrics log has exactly one line per step, even across the kill.
  const steps = readFileSync(path.join(b.dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: number }).step);
  assert.deepEqual(steps, Array.from({ length: 240 }, (_, i) => i + 1));
});

test("a corrupt newest checkpoint is skipped with a warning and the run still ends identically", async () => {
  const straight = pretrain(project("seer-straight2-")).summary;
  const dir = project("seer-corrupt-");
  const { ckpts } = await runAndKill(dir, 0, 2);
  // Corrupt the newest checkpoint, as if the disk damaged it.
  const [older, newest] = checkpoints(ckpts).slice(-2) as [string, string];
  const bytes = readFileSync(path.join(ckpts, newest));
  bytes[bytes.length - 50] = (bytes[bytes.length - 50] ?? 0) ^ 0xff;
  writeFileSync(path.join(ckpts, newest), bytes); // in place, not atomic: this simulates damage
  const { summary, stderr } = pretrain(dir);
  assert.match(stderr, /warning: ignoring checkpoint .*checksum mismatch/);
  assert.match(stderr, new RegExp(`resumed from ${older.replace(".", "\\.")} at step \\d+`));
  assert.equal(summary.weightsSha256, straight.weightsSha256);
});
