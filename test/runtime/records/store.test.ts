/** Writing and reading run records: JSON/YAML round trip, key order, atomicity, schema errors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RecordError } from "../../../runtime/records/errors.js";
import type { RunRecord } from "../../../runtime/records/record.js";
import { readRecord, writeRecord } from "../../../runtime/records/store.js";
import { copyRecord, RECIPE_TEXT, sampleRecord, tempDir } from "../../helpers/records.js";

/** The RecordError `fn` throws (fails the test when it throws anything else, or nothing). */
function recordError(fn: () => unknown): RecordError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RecordError, `expected a RecordError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a RecordError");
}

test("round trip: record.json, record.yaml and the run directory all read back the same record", () => {
  const dir = path.join(tempDir(), "20261126-153012-3f9a1c");
  const r = sampleRecord();
  const files = writeRecord(dir, r);
  assert.deepEqual(files, { json: path.join(dir, "record.json"), yaml: path.join(dir, "record.yaml") });
  assert.deepEqual(readRecord(files.json), r);
  assert.deepEqual(readRecord(files.yaml), r);
  assert.deepEqual(readRecord(dir), r);
  assert.equal(readRecord(files.yaml).recipe.sources[0]!.text, RECIPE_TEXT, "tabs, trailing spaces and non-ASCII survive YAML");
  assert.deepEqual(readdirSync(dir).sort(), ["record.json", "record.yaml"], "no temporary files left");
});

test("record.json is 2-space JSON with keys in the documented order, whatever order they were built in", () => {
  const dir = tempDir();
  const r = sampleRecord();
  const shuffled = Object.fromEntries(Object.entries(r).reverse()) as unknown as RunRecord;
  shuffled.stages = r.stages.map((s) => Object.fromEntries(Object.entries(s).reverse()) as unknown as RunRecord["stages"][number]);
  writeRecord(dir, shuffled);
  const text = readFileSync(path.join(dir, "record.json"), "utf8");
  assert.ok(text.startsWith('{\n  "format": "seer-run-record",\n  "version": 1,\n  "run_id": '));
  assert.ok(text.endsWith("}\n"));
  const parsed = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ["format", "version", "run_id", "status", "created", "finished", "command", "project", "recipe", "graph", "environment", "git", "datasets", "seeds", "stages", "metrics", "metric_configs", "report"]);
  const stages = parsed["stages"] as Record<string, unknown>[];
  assert.deepEqual(Object.keys(stages[2]!), ["id", "name", "kind", "status", "host", "seconds", "output_digest", "started", "finished", "error"]);
  assert.deepEqual(Object.keys(stages[0]!), ["id", "name", "kind", "status", "host", "seconds", "output_digest", "started", "finished"]);
  const yaml = readFileSync(path.join(dir, "record.yaml"), "utf8");
  assert.ok(yaml.startsWith("format: seer-run-record\nversion: 1\nrun_id: "), yaml.slice(0, 80));
});

test("writeRecord refuses an invalid record (a NaN metric) and writes nothing", () => {
  const dir = path.join(tempDir(), "run");
  const r = copyRecord(sampleRecord());
  r.metrics["quickstart"]!["swav_tiny.pool"]!["linear.top1"] = Number.NaN;
  const e = recordError(() => writeRecord(dir, r));
  assert.match(e.message, /is not a valid run record:\n {2}- metrics\.quickstart\["swav_tiny\.pool"\]\["linear\.top1"\]: expected a number, found null/);
  assert.throws(() => readdirSync(dir), /ENOENT/);
});

test("schema errors name the file and each problem: where, expected, found", () => {
  const dir = tempDir();
  const bad = JSON.parse(JSON.stringify(sampleRecord())) as Record<string, unknown>;
  (bad["stages"] as Record<string, unknown>[])[1]!["status"] = "done";
  delete bad["metrics"];
  bad["colour"] = "blue";
  (bad["environment"] as Record<string, unknown>)["cpus"] = "two";
  bad["created"] = "yesterday";
  const file = path.join(dir, "record.json");
  writeFileSync(file, JSON.stringify(bad));
  const e = recordError(() => readRecord(file));
  assert.equal(e.file, file);
  assert.deepEqual([...e.problems].sort(), [
    "colour: unknown field",
    'created: expected an ISO 8601 time like 2026-11-26T15:30:12Z, found "yesterday"',
    'environment.cpus: expected a whole number, found "two"',
    "metrics: missing",
    'stages[1].status: expected one of "ran", "cached", "failed", "skipped", found "done"',
  ]);
  assert.ok(e.message.startsWith(`\`${file}\` is not a valid run record:\n  - `), e.message);
});

test("unreadable files: not JSON, not YAML, not a record, a newer version, a tampered source, no record at all", () => {
  const dir = tempDir();
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  assert.match(recordError(() => readRecord(write("a.json", '{"format": "seer-run-record",'))).message, /`.*a\.json` is not valid JSON \(.+\)\./);
  assert.match(recordError(() => readRecord(write("b.yaml", "format: [unclosed\n"))).message, /`.*b\.yaml` is not valid YAML \(.+\)\./);
  assert.match(recordError(() => readRecord(write("c.json", "[1, 2]"))).message, /is not a seer run record \(it has no `format: seer-run-record`\)/);
  const newer = { ...sampleRecord(), version: 2 };
  assert.match(recordError(() => readRecord(write("d.json", JSON.stringify(newer)))).message, /was written by a newer seer \(record version 2; this seer reads version 1\)/);
  const tampered = copyRecord(sampleRecord());
  tampered.recipe.sources[0]!.text += "// edited\n";
  assert.deepEqual(recordError(() => readRecord(write("e.json", JSON.stringify(tampered)))).problems, ["recipe.sources[0].sha256: does not match the text of `recipes/quickstart.seer`"]);
  const empty = path.join(dir, "empty-run");
  mkdirSync(empty);
  assert.match(recordError(() => readRecord(empty)).message, /empty-run` holds no record\.json or record\.yaml\./);
  assert.match(recordError(() => readRecord(path.join(dir, "nope.json"))).message, /nope\.json` does not exist\./);
});
