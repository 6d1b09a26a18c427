/**
 * The report as one self-contained HTML5 file: no scripts, no external resources, inline CSS
 * and SVG, so it opens offline and can be attached or archived as is.
 */
import type { ReportData } from "./data.js";
import { renderPlots } from "./plots.js";
import { collapsedRuns, runFacts, STAGE_COLUMNS, stageRows, type Fact } from "./provenance.js";
import { REPORT_CSS } from "./style.js";
import { suiteTable, type TableCell } from "./table.js";
import { escapeHtml } from "./text.js";

export function renderHtml(data: ReportData): string {
  const title = `${data.name}: ${data.suite.name}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${title} (${data.runId})`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Run <code>${escapeHtml(data.runId)}</code> of <code>${escapeHtml(data.recipe)}</code>, ${escapeHtml(data.created)}</p>`,
    collapseWarning(data),
    `<h2>Suite <code>${escapeHtml(data.suite.name)}</code></h2>`,
    suiteSection(data),
    data.plots.length ? `<h2>Plots</h2>\n${renderPlots(data)}` : "",
    "<h2>Provenance</h2>",
    provenanceSection(data),
    "</main>",
    "</body>",
    "</html>",
    "",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

function collapseWarning(data: ReportData): string {
  const runs = collapsedRuns(data);
  if (runs.length === 0) return "";
  const names = runs.map((r) => `<code>${escapeHtml(r)}</code>`).join(", ");
  return `<p class="warning">Collapse: the loss of ${names} stayed at ln K (the features are likely uninformative).</p>`;
}

/** Metric names break after their dots on narrow screens. */
function metricHeader(metric: string, lowerIsBetter: boolean): string {
  const name = escapeHtml(metric).replace(/\./g, ".<wbr>");
  return `<th scope="col">${name}${lowerIsBetter ? ' <span class="dir" title="lower is better">↓</span>' : ""}</th>`;
}

function cellHtml(c: TableCell): string {
  if (c.value === undefined) return `<td class="missing" title="not evaluated">${escapeHtml(c.text)}</td>`;
  const title = c.config ? ` title="${escapeHtml(`eval config ${c.config}`)}"` : "";
  return c.best ? `<td class="best"${title}><strong>${escapeHtml(c.text)}</strong></td>` : `<td${title}>${escapeHtml(c.text)}</td>`;
}

function suiteSection(data: ReportData): string {
  if (data.suite.rows.length === 0 || data.suite.metrics.length === 0) return '<p class="note">No evaluations in this run.</p>';
  const t = suiteTable(data.suite);
  const head = `<tr><th scope="col">features</th>${t.columns.map((c) => metricHeader(c.metric, c.lowerIsBetter)).join("")}</tr>`;
  const body = t.rows.map((r) => `<tr><th scope="row">${escapeHtml(r.name)}</th>${r.cells.map(cellHtml).join("")}</tr>`);
  return [
    '<div class="scroll">',
    `<table id="suite-table">`,
    `<thead>${head}</thead>`,
    `<tbody>\n${body.join("\n")}\n</tbody>`,
    "</table>",
    "</div>",
    '<p class="note">Scores in percent. The best of each column is highlighted; ↓ marks metrics where lower is better; – means not evaluated.</p>',
  ].join("\n");
}

function factsHtml(facts: readonly Fact[]): string {
  return `<dl>\n${facts.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd class="mono">${escapeHtml(f.value)}</dd>`).join("\n")}\n</dl>`;
}

function plainTable(cls: string, headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<div class="scroll"><table class="${cls}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function provenanceSection(data: ReportData): string {
  const p = data.provenance;
  const datasets = p.datasets.length
    ? plainTable("datasets mono", ["dataset", "fingerprint"], p.datasets.map((d) => [d.name, d.fingerprint]))
    : '<p class="note">No datasets recorded.</p>';
  const stages = p.stages.length ? plainTable("stages", STAGE_COLUMNS, stageRows(p)) : '<p class="note">No stages recorded.</p>';
  return [factsHtml(runFacts(data)), "<h3>Datasets</h3>", datasets, "<h3>Stages</h3>", stages].join("\n");
}
