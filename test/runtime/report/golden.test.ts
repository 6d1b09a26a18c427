/** The Markdown report of a fixed run, as a golden file (UPDATE_GOLDEN=1 rewrites it). */
import { test } from "node:test";
import path from "node:path";
import { renderMarkdown } from "../../../runtime/report/render-markdown.js";
import { assertGolden } from "../../helpers/golden.js";
import { quickstartData, REPORT_FIXTURES } from "./report-data.js";

test("report golden: quickstart.md", () => {
  assertGolden(path.join(REPORT_FIXTURES, "quickstart.md"), renderMarkdown(quickstartData()));
});
