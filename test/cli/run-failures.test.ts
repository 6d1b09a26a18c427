/**
 * A failed stage is a diagnostic from the catalog, not a string: SEER6002 when its work fails,
 * SEER6003 when no host can run it, each at the declaration the stage comes from, with labelled
 * notes (stage, host, cause, log), in the text on stderr and in `seer run --json`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";

interface Summary {
  run_dir: string;
  stages: { name: string; status: string; error?: string; log?: string }[];
  diagnostics: { code: string; message: string; file: string; range: { start: { line: number; column: number } }; notes: string[] }[];
}

const ENV = { SEER_BACKEND: "wasm" };

test("run: a stage whose work fails is SEER6002 at its declaration, with the stage, host, cause and log; the log holds the cause", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-run-fail-"));
  for (const c of ["a", "b"]) {
    mkdirSync(path.join(dir, "photos", c), { recursive: true });
    writeFileSync(path.join(dir, "photos", c, "x.png"), "not an image");
  }
  // The plan only lists the files; the data stage reads them, and fails.
  writeFileSync(path.join(dir, "bad.seer"), 'dataset photos = image_folder { root = "photos" }\n');
  const r = seer(["run", "bad.seer", "--color", "never"], { cwd: dir, env: ENV });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /data\/photos: FAILED: None of the 2 files under .* could be read as an image\./);
  assert.match(r.stderr, /error\[SEER6002\]: The stage `data\/photos` failed\.\n --> bad\.seer:1:9\n/);
  assert.match(r.stderr, / = note: stage: data\/photos \(prepare-data\)\n {2}= note: host: local\n {2}= note: cause: None of the 2 files under .* could be read as an image\.\n {2}= note: log: runs\/[^/]+\/logs\/data\/photos\.log\n/);
  assert.doesNotMatch(r.stderr, /SEER9000|at .*\.js:\d+/);
  const log = /log: (runs\/\S+\.log)/.exec(r.stderr)![1]!;
  assert.match(readFileSync(path.join(dir, log), "utf8"), /started \(prepare-data\)\n.*failed on local: None of the 2 files under .* could be read as an image\.\n$/);

  const j = seer(["run", "bad.seer", "--json"], { cwd: dir, env: ENV });
  assert.equal(j.code, 3, j.stderr);
  const s = JSON.parse(j.stdout) as Summary;
  assert.equal(s.stages[0]!.status, "failed");
  assert.equal(s.stages[0]!.log, path.join(s.run_dir, "logs", "data", "photos.log"));
  assert.ok(existsSync(path.join(dir, s.stages[0]!.log!)));
  assert.equal(s.diagnostics.length, 1);
  const d = s.diagnostics[0]!;
  assert.deepEqual([d.code, d.message, d.file, d.range.start.line, d.range.start.column], ["SEER6002", "The stage `data/photos` failed.", "bad.seer", 1, 9]);
  assert.deepEqual(d.notes.map((n) => n.split(":")[0]), ["stage", "host", "cause", "log"]);
  const record = JSON.parse(readFileSync(path.join(dir, s.run_dir, "record.json"), "utf8")) as { status: string; stages: { error?: string }[] };
  assert.equal(record.status, "failed");
  assert.equal(record.stages[0]!.error, s.stages[0]!.error, "the record keeps the short message");
});

test("run --hosts: a stage no host of the inventory can run is SEER6003 at its declaration, with the hosts in the cause", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-run-unplaceable-"));
  writeFileSync(
    path.join(dir, "wide.seer"),
    [
      "dataset shapes = synthetic { images = 32  size = 16px  classes = 2 }",
      "model tiny = regnet { family = Y  depth = 4  w0 = 8  wa = 8.0  wm = 2.0  group_width = 8  stem_width = 8 }",
      "pretrain wide = swav { model = tiny  data = shapes  batch = 16 images  duration = 2 steps  crops = [crop { count = 2  size = 16px }]  gpus = 2 }",
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(dir, "hosts.yaml"), "hosts:\n  - name: here\n    kind: local\n");
  const r = seer(["run", "wide.seer", "--hosts", "hosts.yaml", "--json", "--color", "never"], { cwd: dir, env: ENV });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /error\[SEER6003\]: No host can run the stage `pretrain\/wide`\.\n --> wide\.seer:3:10\n/);
  assert.match(r.stderr, / = note: cause: no host in the inventory has 2 GPU\(s\).* \(here: 0 GPU\(s\)\)\n/);
  const s = JSON.parse(r.stdout) as Summary;
  assert.deepEqual(Object.fromEntries(s.stages.map((x) => [x.name, x.status])), { "data/shapes": "ran", "pretrain/wide": "failed" });
  assert.deepEqual(s.diagnostics.map((d) => d.code), ["SEER6003"]);
});
