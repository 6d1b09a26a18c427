/** The HTML and Markdown renderers: escaping, best per column, missing cells, plots, no NaN. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ReportData } from "../../../runtime/report/data.js";
import { renderHtml } from "../../../runtime/report/render-html.js";
import { renderJson } from "../../../runtime/report/render-json.js";
import { renderMarkdown } from "../../../runtime/report/render-markdown.js";
import { emptyData, quickstartData } from "./report-data.js";

const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

/** The suite table's body rows as arrays of cell HTML (th first). */
function bodyRows(html: string): string[][] {
  const body = /<table id="suite-table">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...(m[1] ?? "").matchAll(/<t[hd][^>]*>[\s\S]*?<\/t[hd]>/g)].map((c) => c[0]));
}

test("text from the data is escaped in HTML and Markdown", () => {
  const d = quickstartData();
  const evil = `<script>alert(1)</script>`;
  const cells = { ...d.suite.cells, [evil]: { "linear.top1": { value: 50, config: `sha256:"quoted"` } } };
  const data: ReportData = { ...d, runId: `run "1" & <b>`, suite: { ...d.suite, rows: [...d.suite.rows, evil], cells } };
  const html = renderHtml(data);
  assert.ok(!html.includes("<script"), "no script element in the HTML");
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("run &quot;1&quot; &amp; &lt;b&gt;"));
  assert.ok(html.includes("sha256:&quot;quoted&quot;"), "attribute values are escaped too");
  assert.ok(html.includes("random_init(tiny).pool"), "parentheses are left alone");
  const md = renderMarkdown(data);
  assert.ok(md.includes("| \\<script\\>alert(1)\\</script\\> |"), md);
});

test("the best value per column is highlighted; gaps and drops count lower as better", () => {
  const rows = bodyRows(renderHtml(quickstartData()));
  const best = rows.map((r) => r.map((c) => c.includes('class="best"')));
  // Cells: row name, linear.top1, linear.top5, neighbours.top1, fair.group.gap (6.25 < 8.75), fair.group.worst,
  // fair.group=0.top1, shift...top1, shift...drop (1.0 < 7.25).
  assert.deepEqual(best[0], [false, true, true, true, true, true, false, true, false]);
  assert.deepEqual(best[1], [false, false, false, true, false, false, false, false, true]);
  // neighbours.top1: 27.04 vs 26.96 both print as 27.0, so both are marked.
  assert.ok(rows[0]![3]!.includes("<strong>27.0</strong>") && rows[1]![3]!.includes("<strong>27.0</strong>"));
  // fair.group=0.top1 has one value only: nothing to compare, nothing marked.
  assert.ok(!rows[0]![6]!.includes("best"));
});

test("missing and non-finite cells render as – and never as NaN", () => {
  const d = quickstartData();
  const cells = { ...d.suite.cells, "swav_tiny.pool": { ...d.suite.cells["swav_tiny.pool"], "linear.top1": { value: Number.NaN, config: "sha256:x" } } };
  const pretraining = [{ name: "diverged", points: [{ step: 1, loss: Number.NaN, lr: Infinity }, { step: 2, loss: 3, lr: 0.1 }, { step: 3, loss: -Infinity, lr: Number.NaN }] }];
  const data: ReportData = { ...d, suite: { ...d.suite, cells }, pretraining };
  const html = renderHtml(data);
  const rows = bodyRows(html);
  assert.match(rows[1]![6]!, /<td class="missing"[^>]*>–<\/td>/, "random_init has no fair.group=0.top1");
  assert.match(rows[0]![1]!, />–</, "a NaN score shows as missing");
  const md = renderMarkdown(data);
  for (const [name, text] of [["html", html], ["markdown", md], ["json", renderJson(data)]] as const) {
    assert.ok(!/NaN|Infinity/.test(text), `${name} has no NaN or Infinity`);
  }
});

test("no NaN in the SVG of degenerate data: one point, flat lines, zeros, negative drops", () => {
  const d = quickstartData();
  const shapes: ReportData["pretraining"][] = [
    [{ name: "one", points: [{ step: 0, loss: 0, lr: 0 }] }],
    [{ name: "flat", points: [{ step: 5, loss: 2, lr: 0.1 }, { step: 5, loss: 2, lr: 0.1 }] }],
    [{ name: "empty", points: [] }, { name: "tiny lr", points: [{ step: 1, loss: 1, lr: 1e-7 }, { step: 2, loss: 1, lr: 3e-7 }] }],
  ];
  const cells = { a: { m: { value: 0, config: "c" }, drop: { value: -4.5, config: "c" } }, b: { m: { value: 0, config: "c" } } };
  for (const pretraining of shapes) {
    const html = renderHtml({ ...d, pretraining, suite: { name: "s", rows: ["a", "b"], metrics: ["m", "drop"], cells } });
    assert.ok(!/NaN|Infinity|undefined/.test(html), JSON.stringify(pretraining));
    assert.equal(count(html, /<svg /g), 3);
  }
});

test("only the requested plots are drawn, in the canonical order", () => {
  const d = quickstartData();
  const only = renderHtml({ ...d, plots: ["eval_scores"] });
  assert.deepEqual([...only.matchAll(/data-plot="([a-z_]+)"/g)].map((m) => m[1]), ["eval_scores"]);
  const two = renderHtml({ ...d, plots: ["eval_scores", "pretrain_loss"] });
  assert.deepEqual([...two.matchAll(/data-plot="([a-z_]+)"/g)].map((m) => m[1]), ["pretrain_loss", "eval_scores"]);
  const none = renderHtml({ ...d, plots: [] });
  assert.equal(count(none, /<svg /g), 0);
  assert.ok(!none.includes("<h2>Plots</h2>"));
});

test("empty data: notes instead of a table and plots", () => {
  const html = renderHtml(emptyData());
  assert.ok(!html.includes("<table id=\"suite-table\""));
  assert.ok(html.includes("No evaluations in this run."));
  assert.equal(count(html, /No pretraining in this run\./g), 2, "loss and lr");
  assert.ok(html.includes("No evaluation scores in this run."));
  assert.equal(count(html, /<svg /g), 0);
  assert.ok(html.includes("not a git checkout"));
  const md = renderMarkdown(emptyData());
  assert.ok(md.includes("No evaluations in this run.") && md.includes("- stages: none recorded"), md);
});

test("the HTML is self-contained: no scripts, no external resources", () => {
  const html = renderHtml(quickstartData());
  assert.ok(html.startsWith("<!DOCTYPE html>\n"));
  assert.ok(!/<script|<link|<img|@import|url\(/i.test(html));
  assert.ok(!/(src|href)=/i.test(html));
  assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg")/.test(html), "the only URL is the SVG namespace");
});

test("the Markdown table has a header, an alignment row and one row per features row, all as wide", () => {
  const d = quickstartData();
  const md = renderMarkdown(d);
  const lines = md.split("\n").filter((l) => l.startsWith("| "));
  assert.equal(lines.length, 2 + d.suite.rows.length);
  const widths = lines.map((l) => l.split(/(?<!\\)\|/).length - 2);
  assert.deepEqual(widths, lines.map(() => d.suite.metrics.length + 1));
  assert.equal(lines[1], `| :--- | ${d.suite.metrics.map(() => "---:").join(" | ")} |`);
  assert.ok(md.includes("see the HTML report (`summary.html`)"));
  assert.ok(!md.includes("<svg"));
});

test("JSON is sorted, 2-space indented and round-trips", () => {
  const d = quickstartData();
  const json = renderJson(d);
  assert.deepEqual(JSON.parse(json), d);
  assert.ok(json.startsWith('{\n  "created"'));
  assert.equal(renderJson({ ...d, name: d.name }), json);
});
