/** Grouped bar chart of the suite: one group per metric, one bar per features row, a legend. */
import type { ReportData } from "../data.js";
import { escapeHtml, formatScore } from "../text.js";
import { colour, hline, legend, px, svgRoot, text, textWidth, yAxis, type Box } from "./frame.js";
import { extent, linear, niceTicks } from "./scale.js";

const MIN_WIDTH = 720;
const PLOT_HEIGHT = 240;
const BAR = 14;
const BAR_GAP = 2;
const GROUP_GAP = 20;
const LABEL_ANGLE = 35;
/** Longer metric names are cut with "…" under the chart (the full name is in each bar's tooltip). */
const LABEL_CHARS = 40;

function shortLabel(metric: string): string {
  return metric.length > LABEL_CHARS ? `${metric.slice(0, LABEL_CHARS - 1)}…` : metric;
}

/** The SVG, or null when the suite has no score to draw. */
export function barPlot(suite: ReportData["suite"]): string | null {
  const value = (row: string, metric: string): number | undefined => {
    const v = suite.cells[row]?.[metric]?.value;
    return v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  const metrics = suite.metrics.filter((m) => suite.rows.some((r) => value(r, m) !== undefined));
  if (metrics.length === 0) return null;

  // Groups spread over the minimum width; a suite with many metrics makes the chart wider.
  const bars = Math.max(1, suite.rows.length) * (BAR + BAR_GAP) - BAR_GAP;
  const group = Math.max(bars + GROUP_GAP, (MIN_WIDTH - 80) / metrics.length);
  const angle = (LABEL_ANGLE * Math.PI) / 180;
  const labels = metrics.map(shortLabel);
  // The slanted labels reach down and to the left: room below, and on the left for the first one.
  const labelRoom = Math.max(...labels.map((l) => textWidth(l))) * Math.sin(angle) + 24;
  const left = Math.max(64, textWidth(labels[0] ?? "") * Math.cos(angle) - group / 2 + 8);
  const width = Math.max(MIN_WIDTH, left + 16 + metrics.length * group);
  const key = legend(suite.rows, left, 8, width - left - 16);
  const box: Box = { left, top: 16 + key.height, right: width - 16, bottom: 16 + key.height + PLOT_HEIGHT };
  const ys = niceTicks(extent(metrics.flatMap((m) => suite.rows.map((r) => value(r, m) ?? 0)), [0]), 5);
  const y = linear(ys.domain, box.bottom, box.top);

  const groups = metrics.map((m, g) => {
    const x0 = box.left + g * group + (group - bars) / 2;
    const rects = suite.rows.map((r, i) => {
      const v = value(r, m);
      if (v === undefined) return "";
      const top = y(Math.max(0, v));
      const h = Math.max(1, Math.abs(y(v) - y(0)));
      return `<rect class="bar" x="${px(x0 + i * (BAR + BAR_GAP))}" y="${px(v >= 0 ? top : y(0))}" width="${BAR}" height="${px(h)}" fill="${colour(i)}"><title>${escapeHtml(`${r} · ${m}: ${formatScore(v)}`)}</title></rect>`;
    });
    const cx = x0 + bars / 2;
    const label = text(cx, box.bottom + 14, labels[g] ?? m, `text-anchor="end" transform="rotate(-${LABEL_ANGLE} ${px(cx)} ${px(box.bottom + 14)})"`);
    return `<g class="group">${rects.join("")}${label}</g>`;
  });
  const body = yAxis(box, ys.ticks, ys.step, y, "score (%)") + groups.join("") + hline(box, y(0), "axis") + key.svg;
  return svgRoot("eval_scores", `${suite.name}: scores per metric and features row`, width, box.bottom + labelRoom, body);
}
