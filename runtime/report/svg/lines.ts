/** Line plots of the pretraining curves: loss or learning rate against step, one line per run. */
import type { PretrainPoint, Pretraining } from "../data.js";
import { escapeHtml } from "../text.js";
import { colour, legend, px, svgRoot, text, xAxis, yAxis, type Box } from "./frame.js";
import { extent, linear, niceTicks } from "./scale.js";

export interface LinePlot {
  plot: "pretrain_loss" | "pretrain_lr";
  title: string;
  yLabel: string;
  y: (p: PretrainPoint) => number;
  /** Draw each run's collapse level (ln K) as a dashed line. */
  collapseLine: boolean;
}

const WIDTH = 720;
const HEIGHT = 360;
/** More points than this per line are thinned to each bucket's minimum and maximum. */
const MAX_POINTS = 1000;

interface Series { name: string; points: { x: number; y: number }[]; collapse?: number }

/** The SVG, or null when no run has a finite point to draw. */
export function linePlot(runs: readonly Pretraining[], spec: LinePlot): string | null {
  const series: Series[] = runs.map((r) => ({
    name: r.name,
    points: thin(r.points.map((p) => ({ x: p.step, y: spec.y(p) })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))),
    ...(spec.collapseLine && r.collapseLoss !== undefined && Number.isFinite(r.collapseLoss) ? { collapse: r.collapseLoss } : {}),
  }));
  if (series.every((s) => s.points.length === 0)) return null;

  const key = legend(series.map((s) => s.name), 64, 8, WIDTH - 80);
  const box: Box = { left: 64, top: 16 + key.height, right: WIDTH - 16, bottom: HEIGHT - 48 };
  const xs = niceTicks(extent(series.flatMap((s) => s.points.map((p) => p.x))), 6);
  const ys = niceTicks(extent(series.flatMap((s) => s.points.map((p) => p.y)), series.flatMap((s) => (s.collapse === undefined ? [] : [s.collapse]))), 5);
  const x = linear(xs.domain, box.left, box.right);
  const y = linear(ys.domain, box.bottom, box.top);

  const lines = series.map((s, i) => {
    const c = colour(i);
    const level = s.collapse === undefined ? "" : collapseLine(box, y(s.collapse), c);
    return level + drawSeries(s, c, x, y);
  });
  const body = yAxis(box, ys.ticks, ys.step, y, spec.yLabel) + xAxis(box, xs.ticks, xs.step, x, "step") + lines.join("") + key.svg;
  return svgRoot(spec.plot, spec.title, WIDTH, HEIGHT, body);
}

/** A dashed line at the loss of a collapsed model, labelled at its right end. */
function collapseLine(box: Box, yv: number, c: string): string {
  const line = `<line class="collapse" x1="${px(box.left)}" x2="${px(box.right)}" y1="${px(yv)}" y2="${px(yv)}" stroke="${c}"><title>collapse level (ln K)</title></line>`;
  return line + text(box.right - 4, yv - 4, "ln K", 'class="axis-label" text-anchor="end"');
}

function drawSeries(s: Series, c: string, x: (v: number) => number, y: (v: number) => number): string {
  const first = s.points[0];
  if (!first) return "";
  const title = `<title>${escapeHtml(s.name)}</title>`;
  if (s.points.length === 1) return `<circle class="point" cx="${px(x(first.x))}" cy="${px(y(first.y))}" r="3" fill="${c}">${title}</circle>`;
  const d = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${px(x(p.x))} ${px(y(p.y))}`).join("");
  return `<path class="line" d="${d}" stroke="${c}">${title}</path>`;
}

/**
 * Keeps every point up to MAX_POINTS; beyond, the first and last point and each bucket's lowest
 * and highest, in order (spikes survive, unlike with a stride).
 */
export function thin<T extends { x: number; y: number }>(points: readonly T[]): T[] {
  if (points.length <= MAX_POINTS) return [...points];
  const buckets = MAX_POINTS / 2 - 1;
  const out: T[] = [];
  for (let b = 0; b < buckets; b++) {
    const slice = points.slice(Math.floor((b * points.length) / buckets), Math.floor(((b + 1) * points.length) / buckets));
    let lo = slice[0];
    let hi = slice[0];
    for (const p of slice) {
      if (lo && p.y < lo.y) lo = p;
      if (hi && p.y > hi.y) hi = p;
    }
    if (!lo || !hi) continue;
    if (lo === hi) out.push(lo);
    else out.push(...(slice.indexOf(lo) < slice.indexOf(hi) ? [lo, hi] : [hi, lo]));
  }
  const first = points[0];
  const last = points[points.length - 1];
  if (first && out[0] !== first) out.unshift(first);
  if (last && out[out.length - 1] !== last) out.push(last);
  return out;
}
