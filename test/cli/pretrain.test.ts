/** `seer pretrain` failure paths: data problems are diagnostics at the recipe, not crashes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

test("a missing data root is a SEER6001 diagnostic at the dataset's `root`, exit 3, before training", () => {
  const out = mkdtempSync(path.join(tmpdir(), "seer-missing-"));
  const r = seer(["pretrain", path.join(FIXTURES, "runtime", "missing-root.seer"), "p", "--out", out, "--color", "never"], { cwd: ROOT, env: { SEER_BACKEND: "wasm" } });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /error\[SEER6001\]: The dataset `photos` cannot be read: /);
  assert.match(r.stderr, /missing-root\.seer:1:40/);
  assert.doesNotMatch(r.stderr, /SEER9000|at .*\.js:\d+/);
});

test("pretrain usage errors: unknown declaration, recipe errors", () => {
  const unknown = seer(["pretrain", "recipes/quickstart.seer", "swav_tiy"], { cwd: ROOT });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /did you mean `swav_tiny`/);
  const broken = seer(["pretrain", path.join(ROOT, "..", "shared", "spec", "errors", "wrong-unit.seer"), "p"], { cwd: ROOT });
  assert.equal(broken.code, 1);
});
