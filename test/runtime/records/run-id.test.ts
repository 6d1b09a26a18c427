/** Run ids: UTC time and six hex digits; they sort by time. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newRunId, runIdTime } from "../../../runtime/records/run-id.js";

test("newRunId: YYYYMMDD-HHMMSS in UTC, then six hex digits from the random source", () => {
  const at = new Date(Date.UTC(2026, 10, 26, 15, 30, 12, 999));
  assert.equal(newRunId(at, () => 0x3f9a1c / 0x1000000), "20261126-153012-3f9a1c");
  assert.equal(newRunId(at, () => 0), "20261126-153012-000000");
  assert.equal(newRunId(at, () => 0.9999999999999999), "20261126-153012-ffffff");
  assert.equal(newRunId(new Date(Date.UTC(2027, 0, 2, 3, 4, 5)), () => 0.5), "20270102-030405-800000");
  assert.match(newRunId(), /^\d{8}-\d{6}-[0-9a-f]{6}$/);
});

test("runIdTime reads the time back; other names give null", () => {
  assert.equal(runIdTime("20261126-153012-3f9a1c"), "2026-11-26T15:30:12.000Z");
  assert.equal(runIdTime("my-run"), null);
  assert.equal(runIdTime("20261126-153012-3F9A1C"), null);
});
