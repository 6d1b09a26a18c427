/** Walking `Metrics` tables: the (suite, row, metric) cells of one or more runs, in order. */
import type { Metrics } from "./record.js";

export interface MetricKey {
  suite: string;
  /** The features row, e.g. `swav_tiny.pool`. */
  row: string;
  /** `EVAL.METRIC`, e.g. `linear.top1`. */
  metric: string;
}

/** Every cell present in any of `tables`, in first-seen order (the first table's order first). */
export function metricKeys(...tables: Metrics[]): MetricKey[] {
  const seen = new Set<string>();
  const out: MetricKey[] = [];
  for (const t of tables) {
    for (const [suite, rows] of Object.entries(t)) {
      for (const [row, metrics] of Object.entries(rows)) {
        for (const metric of Object.keys(metrics)) {
          const id = JSON.stringify([suite, row, metric]);
          if (seen.has(id)) continue;
          seen.add(id);
          out.push({ suite, row, metric });
        }
      }
    }
  }
  return out;
}

/** The value of a cell, or null when the table lacks it. */
export function metricValue(t: Metrics, k: MetricKey): number | null {
  return t[k.suite]?.[k.row]?.[k.metric] ?? null;
}
