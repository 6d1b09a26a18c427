/**
 * Issue #14: activation checkpointing on the torch engine (`swav { activation_checkpointing =
 * true }`) recomputes each block's activations in the backward pass and changes nothing else:
 * the same losses and bit-identical weights and batch-norm statistics as without, on CPU.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES } from "../helpers/paths.js";
import { losses, pretrainOf, torchProject } from "../helpers/torch-runs.js";
import { needTorch } from "../helpers/torch.js";

test("activation checkpointing on torch: same losses, bit-identical trunk, and the log says so", { timeout: 600_000 }, (t) => {
  if (!needTorch(t)) return;
  const tmp = mkdtempSync(path.join(tmpdir(), "seer-torch-ckpt-"));
  const runs = ["plain", "checkpointed"].map((name) => {
    const project = torchProject(tmp, name);
    if (name === "checkpointed") {
      const file = path.join(project, "tiny.seer");
      writeFileSync(file, readFileSync(file, "utf8").replace("  checkpoint { every = 4 steps", "  activation_checkpointing = true\n  checkpoint { every = 4 steps"));
      assert.match(readFileSync(file, "utf8"), /activation_checkpointing = true/);
    }
    const r = seer(["run", "tiny.seer", "--engine", "torch", "--only", "pretrain/swav_tiny", "--json"], { cwd: project, timeout: 600_000 });
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const stage = pretrainOf(r.stdout);
    return { project, stage, log: readFileSync(path.join(project, (JSON.parse(r.stdout) as { run_dir: string }).run_dir, "logs", "pretrain", "swav_tiny.log"), "utf8") };
  });
  const [plain, ckpt] = runs as [NonNullable<(typeof runs)[0]>, NonNullable<(typeof runs)[0]>];
  assert.notEqual(plain.stage.id, ckpt.stage.id, "the setting is part of the stage's key");
  assert.match(ckpt.log, /activation checkpointing: each block keeps only its input/);
  assert.doesNotMatch(plain.log, /activation checkpointing/);
  assert.deepEqual(losses(ckpt.project, ckpt.stage.id), losses(plain.project, plain.stage.id));
  const trunk = (p: string, id: string) => readFileSync(path.join(p, ".seer", "stages", id, "trunk.seerckpt"));
  assert.ok(trunk(ckpt.project, ckpt.stage.id).equals(trunk(plain.project, plain.stage.id)), "bit-identical trunk weights and batch-norm statistics");
});

test("settings no engine here carries out are refused before anything runs (exit 3), never ignored: sharding = full anywhere, activation checkpointing on tfjs", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-unsupported-"));
  const base = readFileSync(path.join(FIXTURES, "run", "faults.seer"), "utf8");
  for (const [setting, message] of [
    ["activation_checkpointing = true", /pretrain\/swav_tiny: activation checkpointing runs on the torch engine only; use --engine torch/],
    ["sharding = full", /pretrain\/swav_tiny: sharding = full \(FSDP\) is not carried out by seer's engines yet.*set sharding = none/],
  ] as const) {
    writeFileSync(path.join(dir, "r.seer"), base.replace("  checkpoint { every = 1 epoch }", `  ${setting}\n  checkpoint { every = 1 epoch }`));
    const r = seer(["run", "r.seer"], { cwd: dir });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /started/);
    const plan = seer(["plan", "r.seer"], { cwd: dir });
    assert.equal(plan.code, 0, `a plan still counts it: ${plan.stderr}`);
  }
});
