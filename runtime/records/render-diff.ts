/**
 * `seer diff` output. Text (aligned columns) and Markdown are drawn from the same sections;
 * JSON is the `RecordDiff` itself under a format marker.
 */
import type { KeyChange, RecordDiff } from "./diff.js";
import { formatDelta, formatJson, formatValue, markdownTable, textTable, type Align } from "./table.js";

export type DiffFormat = "text" | "markdown" | "json";

interface Table {
  caption?: string;
  header: string[];
  rows: string[][];
  align?: Align[];
}

interface Section {
  title: string;
  tables: Table[];
}

export function renderDiff(d: RecordDiff, format: DiffFormat): string {
  if (format === "json") return `${JSON.stringify({ format: "seer-run-diff", version: 1, ...d }, null, 2)}\n`;
  return format === "markdown" ? renderMarkdown(d) : renderText(d);
}

function renderText(d: RecordDiff): string {
  const runs = textTable(["", "run", "status", "created", "recipe"], runRows(d));
  const body = sections(d).map((s) => {
    const parts = s.tables.map((t) => (t.caption ? `  ${t.caption}\n${textTable(t.header, t.rows, t.align, "    ")}` : textTable(t.header, t.rows, t.align, "  ")));
    return `${s.title}\n${parts.length > 0 ? parts.join("\n\n") : "  no differences"}`;
  });
  return `${[runs, ...body].join("\n\n")}\n`;
}

function renderMarkdown(d: RecordDiff): string {
  const runs = markdownTable(["", "run", "status", "created", "recipe"], runRows(d));
  const body = sections(d).map((s) => {
    const parts = s.tables.map((t) => `${t.caption ? `**${t.caption}**\n\n` : ""}${markdownTable(t.header, t.rows, t.align)}`);
    return `## ${s.title}\n\n${parts.length > 0 ? parts.join("\n\n") : "No differences."}`;
  });
  return `# Run diff\n\n${[runs, ...body].join("\n\n")}\n`;
}

function runRows(d: RecordDiff): string[][] {
  return [
    ["A", d.a.run_id, d.a.status, d.a.created, d.a.recipe],
    ["B", d.b.run_id, d.b.status, d.b.created, d.b.recipe],
  ];
}

function sections(d: RecordDiff): Section[] {
  const c = d.config;
  const config: Table[] = [
    ...keyTable("recipe", "field", c.recipe),
    ...keyTable("sources (sha256)", "file", c.sources),
    ...keyTable("datasets (fingerprint)", "dataset", c.datasets),
    ...keyTable("seeds", "declaration", c.seeds),
  ];
  const presence = [...c.stages.removed.map((n) => [n, "yes", "-"]), ...c.stages.added.map((n) => [n, "-", "yes"])];
  if (presence.length > 0) config.push({ caption: "stages in one run only", header: ["stage", "A", "B"], rows: presence });
  for (const s of c.stages.changed) {
    const rows = [...(s.kind ? [["(kind)", s.kind.a, s.kind.b]] : []), ...s.fields.map((f) => [f.path || "(config)", formatJson(f.a), formatJson(f.b)])];
    config.push({ caption: `stage ${s.stage}`, header: ["field", "A", "B"], rows });
  }
  const changedMetrics = d.metrics.filter((m) => m.delta !== 0).length;
  const metrics: Table[] =
    d.metrics.length === 0
      ? []
      : [{ header: ["suite", "row", "metric", "A", "B", "delta"], rows: d.metrics.map((m) => [m.suite, m.row, m.metric, formatValue(m.a), formatValue(m.b), formatDelta(m.delta)]), align: ["left", "left", "left", "right", "right", "right"] }];
  return [
    { title: "Configuration", tables: config },
    { title: `Metrics (${changedMetrics} of ${d.metrics.length} differ)`, tables: metrics },
    { title: "Environment", tables: d.environment.length > 0 ? [{ header: ["field", "A", "B"], rows: keyRows(d.environment) }] : [] },
  ];
}

function keyTable(caption: string, key: string, changes: KeyChange[]): Table[] {
  return changes.length > 0 ? [{ caption, header: [key, "A", "B"], rows: keyRows(changes) }] : [];
}

function keyRows(changes: KeyChange[]): string[][] {
  return changes.map((k) => [k.key, formatJson(k.a), formatJson(k.b)]);
}
