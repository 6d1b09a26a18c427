/** The report fixture (a quickstart-shaped run) and variations of it for the report tests. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ReportData } from "../../../runtime/report/data.js";
import { FIXTURES } from "../../helpers/paths.js";

export const REPORT_FIXTURES = path.join(FIXTURES, "report");

/** A fresh copy each call, so a test may change it freely. */
export function quickstartData(): ReportData {
  return JSON.parse(readFileSync(path.join(REPORT_FIXTURES, "quickstart.data.json"), "utf8")) as ReportData;
}

/** A run with nothing in it: no rows, no metrics, no pretraining, no stages. */
export function emptyData(): ReportData {
  const d = quickstartData();
  return {
    ...d,
    suite: { name: "empty", rows: [], metrics: [], cells: {} },
    pretraining: [],
    provenance: { ...d.provenance, git: null, stages: [], datasets: [] },
  };
}

/** Many rows and metrics with long names: the layout has to make room for them. */
export function wideData(): ReportData {
  const d = quickstartData();
  const rows = Array.from({ length: 9 }, (_, i) => `random_init(regnet_y_${i}gf_with_a_long_name).res5`);
  const metrics = Array.from({ length: 12 }, (_, j) => `shift.shapes_shifted_with_a_very_long_test_set_name_${j}.test.top1`);
  const cells = Object.fromEntries(rows.map((r, i) => [r, Object.fromEntries(metrics.map((m, j) => [m, { value: ((i + 1) * (j + 3) * 7) % 100, config: "sha256:0" }]))]));
  return { ...d, suite: { name: "wide", rows, metrics, cells } };
}
