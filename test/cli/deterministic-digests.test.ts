/**
 * Deterministic artifacts: a stage's published digest depends only on its inputs. Wall-clock
 * telemetry (images/s, data wait) is published under `telemetry/`, outside the digest, so two
 * fresh runs of one recipe in two folders publish equal digests for every stage but the
 * report, which records its run (run id, times, provenance) by design.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const ENV = { SEER_BACKEND: "wasm" };

interface RunJson {
  stages: { name: string; kind: string; status: string; output_digest: string | null; id: string }[];
}

function runIn(recipe: string, args: string[]): { digests: Map<string, string>; dir: string; json: RunJson } {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-digests-"));
  copyFileSync(recipe, path.join(dir, path.basename(recipe)));
  const r = seer(["run", path.basename(recipe), "--json", ...args], { cwd: dir, env: ENV, timeout: 900_000 });
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as RunJson;
  const ran = json.stages.filter((s) => s.status !== "skipped");
  for (const s of ran) assert.equal(s.status, "ran", `${s.name} ran fresh`);
  return { dir, json, digests: new Map(ran.filter((s) => s.kind !== "report").map((s) => [s.name, s.output_digest ?? ""])) };
}

test("two fresh runs of a recipe in two folders publish equal digests for every stage but the report", (t) => {
  const a = runIn(path.join(FIXTURES, "run", "tiny.seer"), []);
  const b = runIn(path.join(FIXTURES, "run", "tiny.seer"), []);
  t.after(() => [a.dir, b.dir].forEach((d) => rmSync(d, { recursive: true, force: true })));
  assert.ok(a.digests.size >= 10, `${a.digests.size} stages`);
  assert.deepEqual([...b.digests], [...a.digests]);
  // The pretraining's telemetry is published, beside the hashed outputs.
  const pre = a.json.stages.find((s) => s.kind === "pretrain-swav");
  assert.ok(pre, "the recipe has a pretraining");
  assert.ok(existsSync(path.join(a.dir, ".seer", "stages", pre.id, "telemetry", "telemetry.jsonl")), "telemetry is published under telemetry/");
});

test("two fresh runs of the quickstart's pretraining (2 epochs) in two folders publish equal digests", (t) => {
  const args = ["--only", "pretrain/swav_tiny", "--set", "pretrain_epochs=2"];
  const a = runIn(path.join(ROOT, "recipes", "quickstart.seer"), args);
  const b = runIn(path.join(ROOT, "recipes", "quickstart.seer"), args);
  t.after(() => [a.dir, b.dir].forEach((d) => rmSync(d, { recursive: true, force: true })));
  assert.ok(a.digests.has("pretrain/swav_tiny"));
  assert.deepEqual([...b.digests], [...a.digests]);
});
