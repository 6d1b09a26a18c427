/**
 * Copy detection under `seer run`: a copy-detection set written from the synthetic generator,
 * R-MAC and GeM descriptors of a random-init trunk's maps, PCA whitening learned on the
 * distractors or on a separate labelled set; mAP in the summary, the stage cache, and clear
 * failures for a set that cannot be whitened.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { writeCopySet } from "../helpers/copy-set.js";
import { ROOT } from "../helpers/paths.js";

const RECIPE = path.join(ROOT, "test", "fixtures", "run", "copy.seer");
const ROWS = ["random_init(tiny).pool", "random_init(tiny).res4"];

interface Summary {
  stages: { name: string; kind: string; status: string }[];
  metrics: Record<string, Record<string, Record<string, number>>>;
}

async function project(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-copy-"));
  copyFileSync(RECIPE, path.join(dir, "copy.seer"));
  await writeCopySet(path.join(dir, "copies"), { originals: 8, distractors: 16 });
  return dir;
}

function run(dir: string, extra: string[] = []): Summary {
  const r = seer(["run", "copy.seer", "--json", ...extra], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Summary;
}

const edit = (dir: string, from: string, to: string) => {
  const file = path.join(dir, "copy.seer");
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), from);
  writeFileSync(file, text.replace(from, to));
};

test("run: copy detection reports mAP per row and eval, reruns all cached, and an eval field reruns only that eval (the maps are reused)", async () => {
  const dir = await project();
  const first = run(dir);
  for (const s of first.stages) assert.equal(s.status, "ran", s.name);
  assert.deepEqual(first.stages.filter((s) => s.kind === "copy-detection-eval").length, 4);
  assert.deepEqual(Object.keys(first.metrics["retrieval"]!).sort(), ROWS);
  for (const row of ROWS) {
    for (const m of ["copy.map", "copy_gem.map"]) {
      const v = first.metrics["retrieval"]![row]![m];
      assert.equal(typeof v, "number", `${row} ${m}`);
      assert.ok(v! >= 0 && v! <= 100, `${row} ${m} = ${v}`);
    }
  }

  const second = run(dir);
  assert.ok(second.stages.every((s) => s.status === "cached"), JSON.stringify(second.stages.map((s) => [s.name, s.status])));
  assert.deepEqual(second.metrics, first.metrics);

  edit(dir, "levels    = 3", "levels    = 2");
  const third = run(dir);
  const ran = third.stages.filter((s) => s.status === "ran").map((s) => s.name).sort();
  assert.deepEqual(ran, ["eval/retrieval/random_init(tiny).pool/copy", "eval/retrieval/random_init(tiny).res4/copy", "report/summary"]);
  assert.ok(third.stages.filter((s) => s.name.startsWith("maps/")).every((s) => s.status === "cached"));
});

test("run: whitening without a separate set fails that eval with a clear message (exit 3, no stack trace)", async () => {
  const dir = await project();
  edit(dir, `distractors = "distractors"`, "");
  const r = seer(["run", "copy.seer", "--only", "eval/retrieval/random_init(tiny).res4/copy"], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /PCA whitening needs a separate set of at least 2 images/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
