/**
 * The suite table as the renderers show it: one row per features row, one column per metric,
 * scores with one decimal and the best of each column marked.
 */
import type { ReportData } from "./data.js";
import { formatScore } from "./text.js";

export interface TableCell {
  /** "71.3", or "–" when the cell is missing. */
  text: string;
  value?: number;
  /** The eval config hash the score came from. */
  config?: string;
  best: boolean;
}

export interface TableColumn {
  metric: string;
  lowerIsBetter: boolean;
}

export interface SuiteTable {
  columns: TableColumn[];
  rows: { name: string; cells: TableCell[] }[];
}

/** Gaps between groups and drops under distribution shift: smaller is better. */
export function lowerIsBetter(metric: string): boolean {
  return /(^|[._])(gap|drop)$/.test(metric);
}

/**
 * The best score of each column is marked when at least two rows have one. Scores are
 * compared as shown (one decimal), so values that print the same are marked together.
 */
export function suiteTable(suite: ReportData["suite"]): SuiteTable {
  const columns = suite.metrics.map((metric) => ({ metric, lowerIsBetter: lowerIsBetter(metric) }));
  const best = columns.map((c) => bestShown(suite.rows.map((r) => suite.cells[r]?.[c.metric]?.value), c.lowerIsBetter));
  const rows = suite.rows.map((name) => ({
    name,
    cells: columns.map((c, j): TableCell => {
      const cell = suite.cells[name]?.[c.metric];
      const text = formatScore(cell?.value);
      if (!cell || !Number.isFinite(cell.value)) return { text: formatScore(undefined), best: false };
      return { text, value: cell.value, config: cell.config, best: text === best[j] };
    }),
  }));
  return { columns, rows };
}

function bestShown(values: readonly (number | undefined)[], lower: boolean): string | undefined {
  const shown = values.filter((v): v is number => v !== undefined && Number.isFinite(v)).map((v) => Number(formatScore(v)));
  if (shown.length < 2) return undefined;
  return formatScore(lower ? Math.min(...shown) : Math.max(...shown));
}
