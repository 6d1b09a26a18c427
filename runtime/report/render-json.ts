/** The report data as stable JSON: 2-space indentation, keys sorted at every level. */
import { sortedPretty } from "../../core/json.js";
import type { ReportData } from "./data.js";

/** Non-finite numbers (a diverged loss) become null, as in any JSON. */
export function renderJson(data: ReportData): string {
  return `${sortedPretty(data)}\n`;
}
