/** Plain-text and Markdown tables, and the number formats the record renderers share. */

export type Align = "left" | "right";

/** Columns separated by two spaces, a dashed rule under the header, no trailing spaces. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = [], indent = ""): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => `${indent}${widths.map((w, i) => (align[i] === "right" ? (r[i] ?? "").padStart(w) : (r[i] ?? "").padEnd(w))).join("  ")}`.trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A GitHub-flavoured Markdown table; `|` in cells is escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const cell = (c: string) => c.replace(/\|/g, "\\|");
  const line = (r: readonly string[]) => `| ${r.map(cell).join(" | ")} |`;
  const rule = `|${header.map((_, i) => (align[i] === "right" ? "---:" : "---")).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** A metric value: two decimals; `-` when absent. */
export function formatValue(v: number | null | undefined): string {
  return v === null || v === undefined ? "-" : v.toFixed(2);
}

/** A signed difference: `+2.30`, `-0.50`, `0.00`; `-` when absent. */
export function formatDelta(d: number | null | undefined): string {
  if (d === null || d === undefined) return "-";
  const s = d.toFixed(2);
  return d > 0 && s !== "0.00" ? `+${s}` : s === "-0.00" ? "0.00" : s;
}

/** A JSON value on one line, cut to `max` characters; `(absent)` for undefined. */
export function formatJson(v: unknown, max = 60): string {
  if (v === undefined) return "(absent)";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
