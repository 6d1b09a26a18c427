/** `seer runs` as text: one aligned row per run, then why any record is unreadable. */
import type { RunSummary } from "./list.js";
import { formatValue, textTable } from "./table.js";

export function renderRuns(runs: readonly RunSummary[]): string {
  const rows = runs.map((r) => [
    r.run_id,
    r.status,
    r.created ? r.created.replace("T", " ").replace(/(\.\d+)?Z$/, "") : "-",
    r.recipe ?? "-",
    formatSeconds(r.seconds),
    r.status === "unreadable" || r.status === "incomplete" ? "-" : `${r.stages.ran}/${r.stages.cached}/${r.stages.failed}`,
    headline(r),
  ]);
  const table = textTable(["run", "status", "created (UTC)", "recipe", "time", "ran/cached/failed", "headline"], rows, ["left", "left", "left", "left", "right", "right", "left"]);
  const notes = runs.filter((r) => r.error).map((r) => `${r.run_id}: ${r.error!.split("\n", 1)[0]}`);
  return `${table}\n${notes.length > 0 ? `\n${notes.join("\n")}\n` : ""}`;
}

/** `41.20 linear.top1 (swav_tiny.pool)`: the first row's first metric. */
function headline(r: RunSummary): string {
  const h = r.headline[0];
  return h ? `${formatValue(h.value)} ${h.metric} (${h.row})` : "-";
}

/** `12.3s`, `4m05s`, `2h07m`. */
export function formatSeconds(s: number | null): string {
  if (s === null) return "-";
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
