/**
 * SVG building blocks: the root element, coordinates that can never print as NaN, axes with
 * ticks and labels, and a legend that wraps. Every string that reaches the markup is escaped.
 */
import type { PlotName } from "../data.js";
import { escapeHtml } from "../text.js";
import { formatTick } from "./scale.js";

/** The plot area inside the SVG, in pixels. */
export interface Box { left: number; top: number; right: number; bottom: number }

/** Colour-blind safe (Okabe-Ito, then two of Paul Tol's), in the order series are drawn; repeats after 10. */
const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000", "#882255", "#44aa99"];

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length] ?? "#000000";
}

/** A coordinate for an attribute: two decimals at most, 0 for anything non-finite. */
export function px(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : "0";
}

/** Width of a label in 12 px system sans-serif, roughly (no text metrics without a browser). */
export function textWidth(text: string, size = 12): number {
  return text.length * size * 0.55;
}

/** A plot wider than `WIDE` is drawn at its own size and scrolls sideways, instead of shrinking to illegible. */
const WIDE = 720;

export function svgRoot(plot: PlotName, title: string, width: number, height: number, body: string): string {
  const id = `plot-${plot}-title`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" data-plot="${plot}"${width > WIDE ? ' class="wide"' : ""} viewBox="0 0 ${px(width)} ${px(height)}" width="${px(width)}" height="${px(height)}" role="img" aria-labelledby="${id}">` +
    `<title id="${id}">${escapeHtml(title)}</title>${body}</svg>`
  );
}

export function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ""}>${escapeHtml(content)}</text>`;
}

/** Horizontal grid lines, tick labels and the rotated axis label on the left. */
export function yAxis(box: Box, ticks: readonly number[], step: number, y: (v: number) => number, label: string): string {
  const parts = ticks.map((t) => {
    const ty = px(y(t));
    return `<line class="grid" x1="${px(box.left)}" x2="${px(box.right)}" y1="${ty}" y2="${ty}"/>` + text(box.left - 6, y(t) + 4, formatTick(t, step), 'text-anchor="end"');
  });
  const mid = (box.top + box.bottom) / 2;
  parts.push(text(14, mid, label, `class="axis-label" text-anchor="middle" transform="rotate(-90 14 ${px(mid)})"`));
  parts.push(`<line class="axis" x1="${px(box.left)}" x2="${px(box.left)}" y1="${px(box.top)}" y2="${px(box.bottom)}"/>`);
  return parts.join("");
}

/** The x axis line at the bottom of the box, tick marks and labels, and the axis label. */
export function xAxis(box: Box, ticks: readonly number[], step: number, x: (v: number) => number, label: string): string {
  const parts = ticks.map((t) => {
    const tx = x(t);
    return `<line class="axis" x1="${px(tx)}" x2="${px(tx)}" y1="${px(box.bottom)}" y2="${px(box.bottom + 5)}"/>` + text(tx, box.bottom + 18, formatTick(t, step), 'text-anchor="middle"');
  });
  parts.push(`<line class="axis" x1="${px(box.left)}" x2="${px(box.right)}" y1="${px(box.bottom)}" y2="${px(box.bottom)}"/>`);
  parts.push(text((box.left + box.right) / 2, box.bottom + 36, label, 'class="axis-label" text-anchor="middle"'));
  return parts.join("");
}

/** A horizontal line at `value` across the box (e.g. zero for bars that go negative). */
export function hline(box: Box, yv: number, cls: string): string {
  return `<line class="${cls}" x1="${px(box.left)}" x2="${px(box.right)}" y1="${px(yv)}" y2="${px(yv)}"/>`;
}

/** Swatch + name per series, laid out left to right and wrapped at `width`; returns its height. */
export function legend(names: readonly string[], left: number, top: number, width: number): { svg: string; height: number } {
  const lineHeight = 18;
  let x = left;
  let y = top;
  const parts: string[] = [];
  names.forEach((name, i) => {
    const w = 18 + textWidth(name) + 16;
    if (x > left && x + w > left + width) {
      x = left;
      y += lineHeight;
    }
    parts.push(`<rect class="swatch" x="${px(x)}" y="${px(y + 3)}" width="12" height="12" rx="2" fill="${colour(i)}"/>` + text(x + 18, y + 13, name));
    x += w;
  });
  return { svg: `<g class="legend">${parts.join("")}</g>`, height: names.length ? y - top + lineHeight : 0 };
}
