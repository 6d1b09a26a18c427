/**
 * Recorded vs fresh metrics, for `seer reproduce`: every cell of either table, its delta and
 * whether it lies within tolerance. A cell missing on either side is not ok.
 */
import { metricKeys, metricValue } from "./metrics.js";
import type { Metrics } from "./record.js";
import { formatDelta, formatValue, textTable } from "./table.js";

/**
 * Allowed |fresh - recorded|, in percentage points. A number applies to every metric; a map
 * is keyed by `EVAL.METRIC` (`linear.top1`), then `EVAL.*`, then `*`; a metric it does not
 * cover must match exactly (tolerance 0).
 */
export type Tolerance = number | Record<string, number>;

export interface ComparisonRow {
  suite: string;
  row: string;
  metric: string;
  recorded: number | null;
  fresh: number | null;
  /** fresh - recorded; null when either is missing. */
  delta: number | null;
  tolerance: number;
  ok: boolean;
}

export interface Comparison {
  rows: ComparisonRow[];
  /** Every row ok (true for two empty tables). */
  ok: boolean;
}

export function compareMetrics(recorded: Metrics, fresh: Metrics, tolerance: Tolerance): Comparison {
  checkTolerance(tolerance);
  const rows = metricKeys(recorded, fresh).map((k): ComparisonRow => {
    const r = metricValue(recorded, k);
    const f = metricValue(fresh, k);
    const tol = toleranceFor(k.metric, tolerance);
    if (r === null || f === null) return { ...k, recorded: r, fresh: f, delta: null, tolerance: tol, ok: false };
    return { ...k, recorded: r, fresh: f, delta: f - r, tolerance: tol, ok: within(f - r, tol, r, f) };
  });
  return { rows, ok: rows.every((x) => x.ok) };
}

/** The tolerance that applies to one `EVAL.METRIC`. */
export function toleranceFor(metric: string, tolerance: Tolerance): number {
  if (typeof tolerance === "number") return tolerance;
  const evalName = metric.split(".", 1)[0];
  return tolerance[metric] ?? tolerance[`${evalName}.*`] ?? tolerance["*"] ?? 0;
}

// |delta| == tolerance passes: the slack absorbs float rounding (8.3 - 7.3 is 1.0000000000000009).
function within(delta: number, tolerance: number, a: number, b: number): boolean {
  return Math.abs(delta) <= tolerance + 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function checkTolerance(t: Tolerance): void {
  const entries = typeof t === "number" ? [["tolerance", t] as const] : Object.entries(t);
  for (const [k, v] of entries) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`The tolerance for \`${k}\` must be a number of at least 0, not ${String(v)}.`);
  }
}

/** The comparison as an aligned table and a one-line verdict. */
export function renderComparison(c: Comparison): string {
  const rows = c.rows.map((x) => [x.suite, x.row, x.metric, formatValue(x.recorded), formatValue(x.fresh), formatDelta(x.delta), String(x.tolerance), x.ok ? "ok" : x.delta === null ? "MISSING" : "FAIL"]);
  const table = textTable(["suite", "row", "metric", "recorded", "fresh", "delta", "tolerance", "result"], rows, ["left", "left", "left", "right", "right", "right", "right", "left"]);
  const bad = c.rows.filter((x) => !x.ok);
  const missing = bad.filter((x) => x.delta === null).length;
  const verdict =
    c.rows.length === 0
      ? "No metrics to compare."
      : bad.length === 0
        ? `All ${c.rows.length} metric(s) within tolerance.`
        : `${bad.length} of ${c.rows.length} metric(s) outside tolerance${missing > 0 ? ` (${missing} missing on one side)` : ""}.`;
  return `${c.rows.length > 0 ? `${table}\n\n` : ""}${verdict}\n`;
}
