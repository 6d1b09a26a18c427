/** The report as GitHub Markdown: the suite table and the provenance; plots are named, not drawn. */
import { PLOT_NAMES, type ReportData } from "./data.js";
import { collapsedRuns, runFacts, stageRows } from "./provenance.js";
import { suiteTable, type SuiteTable } from "./table.js";
import { escapeMarkdown } from "./text.js";

export function renderMarkdown(data: ReportData): string {
  const sections = [
    `# ${escapeMarkdown(`${data.name}: ${data.suite.name}`)}`,
    `Run ${code(data.runId)} of ${code(data.recipe)}, ${escapeMarkdown(data.created)}.`,
    ...collapseWarning(data),
    `## Suite ${code(data.suite.name)}`,
    suiteSection(data),
    ...plotsSection(data),
    "## Provenance",
    provenanceList(data),
  ];
  return `${sections.join("\n\n")}\n`;
}

/** An inline code span whose fence is longer than any run of backticks inside it. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text.replace(/\r?\n|\r/g, " ")}${pad}${fence}`;
}

function collapseWarning(data: ReportData): string[] {
  const runs = collapsedRuns(data);
  return runs.length ? [`> **Collapse:** the loss of ${runs.map(code).join(", ")} stayed at ln K (the features are likely uninformative).`] : [];
}

export function markdownTable(t: SuiteTable): string {
  const header = ["features", ...t.columns.map((c) => `${escapeMarkdown(c.metric)}${c.lowerIsBetter ? " ↓" : ""}`)];
  const align = [":---", ...t.columns.map(() => "---:")];
  const rows = t.rows.map((r) => [escapeMarkdown(r.name), ...r.cells.map((c) => (c.best ? `**${c.text}**` : c.text))]);
  return [header, align, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

function suiteSection(data: ReportData): string {
  if (data.suite.rows.length === 0 || data.suite.metrics.length === 0) return "No evaluations in this run.";
  const legend = "Scores in percent. The best of each column is in bold; ↓ marks metrics where lower is better; – means not evaluated.";
  return `${markdownTable(suiteTable(data.suite))}\n\n${legend}`;
}

function plotsSection(data: ReportData): string[] {
  const wanted = PLOT_NAMES.filter((p) => data.plots.includes(p));
  if (wanted.length === 0) return [];
  return ["## Plots", `${wanted.map(code).join(", ")}: see the HTML report (${code(`${data.name}.html`)}).`];
}

function provenanceList(data: ReportData): string {
  const p = data.provenance;
  const facts = runFacts(data).map((f) => `- ${f.label}: ${code(f.value)}`);
  const datasets = p.datasets.map((d) => `  - ${code(d.name)}: ${code(d.fingerprint)}`);
  const stages = stageRows(p).map(([name = "", kind = "", engine = "", status = "", time = "", host = "", id = ""]) => `  - ${code(name)} (${escapeMarkdown(kind)}, ${escapeMarkdown(engine)}): ${escapeMarkdown(status)}, ${escapeMarkdown(time)} on ${code(host)}, id ${code(id)}`);
  return [
    ...facts,
    `- datasets:${datasets.length ? "" : " none recorded"}`,
    ...datasets,
    `- stages:${stages.length ? "" : " none recorded"}`,
    ...stages,
  ].join("\n");
}
