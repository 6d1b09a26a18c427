/** listRuns: newest first, summaries, corrupt and incomplete runs listed rather than fatal. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { listRuns } from "../../../runtime/records/list.js";
import { renderRuns } from "../../../runtime/records/render-runs.js";
import { writeRecord } from "../../../runtime/records/store.js";
import { copyRecord, sampleRecord, tempDir } from "../../helpers/records.js";

function runsDir(): string {
  const dir = tempDir("seer-runs-");
  const older = sampleRecord("20261120-080000-aaaaaa", "2026-11-20T08:00:00.000Z");
  const newer = copyRecord(sampleRecord("20261126-153012-3f9a1c", "2026-11-26T15:30:12.000Z"));
  newer.status = "failed";
  writeRecord(path.join(dir, older.run_id), older);
  writeRecord(path.join(dir, newer.run_id), newer);
  // Named by hand, sorted by its `created`, not by its name.
  writeRecord(path.join(dir, "baseline"), sampleRecord("baseline", "2026-11-22T10:00:00.000Z"));
  mkdirSync(path.join(dir, "20261125-000000-bbbbbb"));
  writeFileSync(path.join(dir, "20261125-000000-bbbbbb", "record.json"), '{"format": "seer-run-record", "version": 1');
  mkdirSync(path.join(dir, "20261127-000000-cccccc"));
  mkdirSync(path.join(dir, "cache"));
  writeFileSync(path.join(dir, "notes.txt"), "not a run");
  return dir;
}

test("listRuns: newest first; a corrupt record is `unreadable`, a run without one `incomplete`; other entries ignored", () => {
  const runs = listRuns(runsDir());
  assert.deepEqual(
    runs.map((r) => [r.run_id, r.status]),
    [
      ["20261127-000000-cccccc", "incomplete"],
      ["20261126-153012-3f9a1c", "failed"],
      ["20261125-000000-bbbbbb", "unreadable"],
      ["baseline", "succeeded"],
      ["20261120-080000-aaaaaa", "succeeded"],
    ],
  );
  assert.match(runs[2]!.error ?? "", /record\.json` is not valid JSON/);
});

test("a run summary: recipe, wall-clock seconds, stage counts, the first metric of each row of the first suite", () => {
  const dir = runsDir();
  const s = listRuns(dir).find((r) => r.run_id === "20261126-153012-3f9a1c")!;
  assert.deepEqual(s, {
    run_id: "20261126-153012-3f9a1c",
    dir: path.join(dir, "20261126-153012-3f9a1c"),
    status: "failed",
    created: "2026-11-26T15:30:12.000Z",
    recipe: "recipes/quickstart.seer",
    seconds: 252.5,
    stages: { ran: 1, cached: 1, failed: 1, skipped: 0 },
    headline: [
      { suite: "quickstart", row: "swav_tiny.pool", metric: "linear.top1", value: 41.25 },
      { suite: "quickstart", row: "random_init(tiny).pool", metric: "linear.top1", value: 12.5 },
    ],
  });
});

test("renderRuns: aligned columns, then the reason for each unreadable record", () => {
  const text = renderRuns(listRuns(runsDir()));
  const lines = text.split("\n");
  assert.equal(lines[0], "run                     status      created (UTC)        recipe                    time  ran/cached/failed  headline");
  assert.equal(lines[3], "20261126-153012-3f9a1c  failed      2026-11-26 15:30:12  recipes/quickstart.seer  4m12s              1/1/1  41.25 linear.top1 (swav_tiny.pool)");
  assert.match(text, /\n\n20261125-000000-bbbbbb: `.*record\.json` is not valid JSON/);
});

test("listRuns of a missing directory is empty", () => {
  assert.deepEqual(listRuns(path.join(tempDir(), "runs")), []);
});
