/** writeReport: three files named after the report, written whole, in a directory it creates. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderMarkdown } from "../../../runtime/report/render-markdown.js";
import { writeReport } from "../../../runtime/report/write.js";
import { quickstartData } from "./report-data.js";

test("writeReport writes <name>.html, .md and .json and returns their paths", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-report-write-"));
  try {
    const out = path.join(dir, "runs", "r1");
    const files = writeReport(out, quickstartData());
    assert.deepEqual(files, { html: path.join(out, "summary.html"), markdown: path.join(out, "summary.md"), json: path.join(out, "summary.json") });
    assert.deepEqual(readdirSync(out).sort(), ["summary.html", "summary.json", "summary.md"], "no temporary files left");
    assert.equal(readFileSync(files.markdown, "utf8"), renderMarkdown(quickstartData()));
    assert.deepEqual(JSON.parse(readFileSync(files.json, "utf8")), quickstartData());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a report name that is not a plain file name is refused", () => {
  assert.throws(() => writeReport(tmpdir(), { ...quickstartData(), name: "../escape" }), /not a plain file name/);
});
