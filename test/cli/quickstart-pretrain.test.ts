/**
 * The quickstart's SwAV settings train: 75 steps of `seer pretrain` on the real recipe leave
 * the loss well below ln K (a collapsed head sits at ln K, as the quickstart did before
 * zero-init residual blocks, sharper Sinkhorn codes and two 32 px crops) and the collapse
 * warning stays quiet. docs/training.md tells the story.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

test("quickstart pretraining: the SwAV loss leaves ln K and keeps falling (no collapse)", { timeout: 180_000 }, () => {
  const out = mkdtempSync(path.join(tmpdir(), "seer-qs-pretrain-"));
  const r = seer(["pretrain", path.join(ROOT, "recipes", "quickstart.seer"), "swav_tiny", "--set", "pretrain_epochs=3", "--out", out, "--json"], { timeout: 170_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /collapse/i);
  const lines = readFileSync(path.join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { step: number; loss: number });
  assert.equal(lines.length, 75);
  const lnK = Math.log(16);
  const mean = (xs: { loss: number }[]) => xs.reduce((a, x) => a + x.loss, 0) / xs.length;
  const early = mean(lines.slice(20, 30)), late = mean(lines.slice(-10));
  assert.ok(late < lnK - 0.3, `final loss ${late.toFixed(3)} should sit well below ln 16 = ${lnK.toFixed(3)}`);
  assert.ok(late < early - 0.1, `loss should keep falling: steps 21-30 ${early.toFixed(3)}, last 10 ${late.toFixed(3)}`);
});
