/** `seer pretrain` failure paths: data problems are diagnostics at the recipe, not crashes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES, ROOT, SPEC_ERRORS } from "../helpers/paths.js";

test("a missing data root is a SEER6001 diagnostic at the dataset's `root`, exit 3, before training", () => {
  const out = mkdtempSync(path.join(tmpdir(), "seer-missing-"));
  const r = seer(["pretrain", path.join(FIXTURES, "runtime", "missing-root.seer"), "p", "--out", out, "--color", "never"], { cwd: out, env: { SEER_BACKEND: "wasm" } });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /error\[SEER6001\]: The dataset `photos` cannot be read: /);
  assert.match(r.stderr, /missing-root\.seer:1:40/);
  assert.doesNotMatch(r.stderr, /SEER9000|at .*\.js:\d+/);
});

test("pretrain usage errors: unknown declaration, recipe errors", () => {
  const unknown = seer(["pretrain", "recipes/quickstart.seer", "swav_tiy"], { cwd: ROOT });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /did you mean `swav_tiny`/);
  assert.equal(seer(["pretrain", "recipes/quickstart.seer"], { cwd: ROOT }).code, 2);
  const broken = seer(["pretrain", path.join(SPEC_ERRORS, "wrong-unit.seer"), "p"], { cwd: ROOT });
  assert.equal(broken.code, 1);
});

test("the swav `augment` record reaches the data pipeline: changing it changes the trained weights", () => {
  const recipe = path.join(FIXTURES, "runtime", "augment.seer");
  const render = seer(["render", recipe], { cwd: ROOT });
  assert.equal(render.code, 0, render.stderr);
  const doc = JSON.parse(render.stdout) as { declarations: Record<string, { fields: { augment: Record<string, unknown> } }> };
  assert.deepEqual(doc.declarations["plain"]!.fields.augment, { jitter: 0, grayscale: 0, blur: 0, flip: 0.5, rotate: 0, strength: 1, blur_sigma: { from: 0.1, to: 2 } });
  const hashes = ["standard", "plain"].map((name) => {
    const out = mkdtempSync(path.join(tmpdir(), `seer-aug-${name}-`));
    const r = seer(["pretrain", recipe, name, "--out", out, "--json"], { cwd: out, env: { SEER_BACKEND: "wasm" } });
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { weightsSha256: string }).weightsSha256;
  });
  assert.notEqual(hashes[0], hashes[1]);
});
