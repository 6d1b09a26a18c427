/**
 * `seer run --jobs 2`: independent stages run at once in worker processes (`seer stage-exec
 * --serve`, one per slot) and publish exactly what the in-process run publishes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

function run(jobs: string): { stages: { name: string; status: string; output_digest: string; host: string }[]; run_dir: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-workers-"));
  copyFileSync(path.join(ROOT, "test", "fixtures", "run", "tiny.seer"), path.join(dir, "tiny.seer"));
  const r = seer(["run", "tiny.seer", "--json", "--jobs", jobs, "--only", "features/random_init(tiny).pool"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return { ...(JSON.parse(r.stdout) as { stages: { name: string; status: string; output_digest: string; host: string }[]; run_dir: string }), dir };
}

test("run --jobs 2: worker processes publish the in-process run's outputs, and independent stages overlap", () => {
  const one = run("1");
  const two = run("2");
  const ran = (s: typeof one) => Object.fromEntries(s.stages.filter((x) => x.status === "ran").map((x) => [x.name, x.output_digest]));
  assert.deepEqual(Object.keys(ran(two)).sort(), ["data/shapes", "data/shapes_shifted", "features/random_init(tiny).pool/shapes.test", "features/random_init(tiny).pool/shapes.train", "features/random_init(tiny).pool/shapes_shifted.test", "random-init/tiny"]);
  assert.deepEqual(ran(two), ran(one));
  assert.ok(two.stages.every((x) => x.host === "local"));
  const record = JSON.parse(readFileSync(path.join(two.dir, two.run_dir, "record.json"), "utf8")) as { stages: { name: string; started: string | null; finished: string | null }[] };
  const features = record.stages.filter((x) => x.name.startsWith("features/") && x.started).map((x) => [Date.parse(x.started!), Date.parse(x.finished!)] as const);
  assert.ok(features.some(([s1, e1], i) => features.some(([s2, e2], j) => i !== j && s1 < e2 && s2 < e1)), "no two features stages ran at the same time");
});
