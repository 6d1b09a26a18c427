/**
 * `seer run`'s progress view: on a terminal (a real pseudo-terminal from util-linux `script`)
 * a listr2 task tree with progress bars and ETAs; through a pipe, plain timestamped lines.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { ROOT, SEER_BIN } from "../helpers/paths.js";
import { progressLine } from "../../src/cli/commands/run-progress-tty.js";

const RECIPE = path.join(ROOT, "test", "fixtures", "run", "tiny.seer");
const ANSI = /\x1b\[[0-9;?]*[a-zA-Z]/g;

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-progress-"));
  copyFileSync(RECIPE, path.join(dir, "tiny.seer"));
  return dir;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test("progress: the bar shows the fraction, the percentage and an ETA from the stage's own rate", () => {
  assert.equal(progressLine(0.5, 10, "step 5/10"), `${"█".repeat(12)}${"░".repeat(12)}  50% ETA 10 s  step 5/10`);
  assert.equal(progressLine(0, 3, ""), `${"░".repeat(24)}   0%`);
  assert.match(progressLine(0.25, 90, ""), /ETA 4 min 30 s$/);
});

test("progress: on a terminal, seer run draws a task tree with progress bars; through a pipe, timestamped lines", { skip: existsSync("/usr/bin/script") ? false : "util-linux `script` is not installed" }, () => {
  const dir = project();
  const cmd = `stty cols 120 rows 50; ${quote(process.execPath)} ${quote(SEER_BIN)} run tiny.seer --set pretrain_epochs=1`;
  const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "", TERM: "xterm", SEER_PROGRESS: "" }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout);
  const out = r.stdout.replace(ANSI, "");
  assert.match(out, /19 stages: 19 to run, 0 cached/);
  assert.match(out, /█+░* +\d+% ETA/, "a progress bar with an ETA was drawn");
  assert.match(out, /✔ pretrain\/swav_tiny \(pretrain-swav\): done in [\d.]+ s/);
  assert.match(out, /✔ report\/summary \(report\): done in/);
  assert.match(out, /finished: 19 ran, 0 cached, 0 failed, 0 skipped/);

  const piped = seer(["run", "tiny.seer", "--set", "pretrain_epochs=1"], { cwd: dir, env: { SEER_PROGRESS: "" } });
  assert.equal(piped.code, 0, piped.stderr);
  assert.match(piped.stderr, /^\[\d\d:\d\d:\d\d\] 19 stages: 0 to run, 19 cached$/m);
  assert.doesNotMatch(piped.stderr, /█|\x1b\[/, "no task tree or escape codes through a pipe");
});
