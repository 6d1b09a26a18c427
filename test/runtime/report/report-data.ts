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
