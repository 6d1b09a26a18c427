import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { scanCopyDetection } from "../../../runtime/data/copy-detection.js";
import { DataError } from "../../../runtime/data/errors.js";
import { tempDir, writeGarbage, writeImage } from "./fixtures.js";

test("copy detection: ground truth by matching stems, distractors after originals, corrupt files skipped", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "database", "100.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "database", "200.png"), "png", 2);
  await writeImage(path.join(dir, "queries", "100.png"), "png", 3);
  await writeImage(path.join(dir, "queries", "200.jpg"), "jpeg", 4);
  await writeImage(path.join(dir, "queries", "300.jpg"), "jpeg", 5);
  await writeGarbage(path.join(dir, "queries", "400.jpg"));
  await writeImage(path.join(dir, "distractors", "d1.jpg"), "jpeg", 6);
  const set = await scanCopyDetection({ root: dir, distractors: "distractors" });
  assert.deepEqual(set.queries.map((q) => q.rel), ["queries/100.png", "queries/200.jpg", "queries/300.jpg"]);
  assert.deepEqual(set.database.map((d) => d.rel), ["database/100.jpg", "database/200.png", "distractors/d1.jpg"]);
  assert.equal(set.distractorStart, 2);
  assert.deepEqual(set.groundTruth, [[0], [1], []]);
  assert.equal(set.unmatchedQueries, 1);
  assert.equal(set.report.count, 1);

  await writeFile(path.join(dir, "gt.csv"), "query,original\n300.jpg,100\n300,200.png\n100.png,100.jpg\nnope.jpg,100\n");
  const gt = await scanCopyDetection({ root: dir, groundTruth: "gt.csv" });
  assert.deepEqual(gt.groundTruth, [[0], [], [0, 1]]);
  assert.equal(gt.report.counts()["bad-row"], 1);
  await assert.rejects(scanCopyDetection({ root: dir, groundTruth: "none.csv" }), (e: unknown) => e instanceof DataError && e.code === "ground-truth");
  await assert.rejects(scanCopyDetection({ root: path.join(dir, "queries") }), (e: unknown) => e instanceof DataError && e.code === "root-missing");
});
