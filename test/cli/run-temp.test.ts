/** Issue #15: what killed runs left in `.seer/tmp` (never-published outputs) is removed by the next run, under the project lock. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES } from "../helpers/paths.js";

test("a run sweeps .seer/tmp of what killed runs left there; the stages' outputs are untouched", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-temp-sweep-"));
  copyFileSync(path.join(FIXTURES, "run", "tiny.seer"), path.join(dir, "tiny.seer"));
  const first = seer(["run", "tiny.seer", "--only", "data/shapes"], { cwd: dir, timeout: 120_000 });
  assert.equal(first.code, 0, first.stderr);
  const stale = path.join(dir, ".seer", "tmp", "1700000000000-deadbeef");
  mkdirSync(path.join(stale, "checkpoints"), { recursive: true });
  writeFileSync(path.join(stale, "checkpoints", "half.seerckpt"), "half-written");
  const stages = readdirSync(path.join(dir, ".seer", "stages"));
  const again = seer(["run", "tiny.seer", "--only", "data/shapes"], { cwd: dir, timeout: 120_000 });
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!existsSync(stale), "the killed run's temporary folder is gone");
  assert.deepEqual(readdirSync(path.join(dir, ".seer", "stages")), stages, "published stages stay");
});
