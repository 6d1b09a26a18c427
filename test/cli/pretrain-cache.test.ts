/**
 * `seer pretrain` and `seer run` share one graph and one content-addressed store: what
 * `pretrain` trained, `run` reuses; an edited learning rate or model trains anew under a new
 * key (never a stale checkpoint, never an internal error).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES } from "../helpers/paths.js";

const ENV = { SEER_BACKEND: "wasm" };

interface RunJson {
  stages: { name: string; status: string; output_digest: string | null }[];
}

test("pretrain then run: cached; an edited LR trains anew in both; a changed model is a clean new stage", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-pretrain-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const recipe = path.join(dir, "tiny.seer");
  copyFileSync(path.join(FIXTURES, "run", "tiny.seer"), recipe);
  const pretrain = () => {
    const r = seer(["pretrain", "tiny.seer", "swav_tiny", "--json"], { cwd: dir, env: ENV, timeout: 900_000 });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { status: string; key: string; weightsSha256: string; resumedFrom: number | null };
  };
  const run = () => {
    const r = seer(["run", "tiny.seer", "--json"], { cwd: dir, env: ENV, timeout: 900_000 });
    assert.equal(r.code, 0, r.stderr);
    const s = (JSON.parse(r.stdout) as RunJson).stages.find((x) => x.name === "pretrain/swav_tiny");
    assert.ok(s, "the run has the pretraining stage");
    return s;
  };
  const edit = (from: string, to: string) => {
    const text = readFileSync(recipe, "utf8");
    assert.ok(text.includes(from), `the recipe has ${from}`);
    writeFileSync(recipe, text.replace(from, to));
  };

  const first = pretrain();
  assert.equal(first.status, "ran");
  assert.equal(pretrain().status, "cached", "an unchanged recipe is cached for seer pretrain");
  assert.equal(run().status, "cached", "seer run reuses what seer pretrain trained");

  edit("lr = 0.6 per 256 images", "lr = 0.3 per 256 images");
  assert.equal(run().status, "ran", "seer run trains anew after the LR changed");
  edit("lr = 0.3 per 256 images", "lr = 0.45 per 256 images");
  const lr = pretrain();
  assert.equal(lr.status, "ran", "seer pretrain trains anew after the LR changed");
  assert.equal(lr.resumedFrom, null, "a changed recipe never resumes another recipe's checkpoint");
  assert.notEqual(lr.key, first.key);
  assert.notEqual(lr.weightsSha256, first.weightsSha256);

  edit("w0          = 16", "w0          = 24");
  const model = pretrain();
  assert.equal(model.status, "ran");
  assert.equal(model.resumedFrom, null);
});
