/**
 * The `synthetic` dataset: coloured shapes on textured backgrounds, generated on demand.
 * Image i depends on (seed, i) alone. Its class (i mod classes) fixes only the geometry
 * (synthetic-shapes.ts); colours, position, scale, rotation, background texture, clutter
 * and sensor noise are nuisance factors (synthetic-style.ts) that `shift` and the `group`
 * attribute move. The class-to-geometry map does not depend on the seed, so two datasets
 * with different seeds or shifts share their classes (robustness tests rely on this).
 */
import { derive } from "./rng.js";
import { MAX_CLASSES, copyLayout, insideClass, shapeClass } from "./synthetic-shapes.js";
import { backgroundMix, groupContrast, luminance, makeBackground, randomDirection, shapeColour, type Rgb } from "./synthetic-style.js";

/** The checked fields of a `synthetic { ... }` dataset, with sizes as plain numbers. */
export interface SyntheticParams {
  readonly kind: "shapes";
  readonly images: number;
  /** Side length in px. */
  readonly size: number;
  readonly classes: number;
  readonly groups: number;
  /** 0..1. */
  readonly shift: number;
  readonly seed: number;
}

export interface SyntheticSample {
  /** size×size×3 RGB, HWC. */
  readonly pixels: Uint8Array;
  readonly label: number;
  readonly attributes: { readonly group: number };
}

const SALT_GROUP = 0x67726f75;
const SALT_IMAGE = 0x696d6167;

export const SYNTHETIC_DEFAULTS = { kind: "shapes", size: 32, classes: 10, groups: 1, shift: 0, seed: 0 } as const;

/** Fills in defaults and validates (the checker already did; this guards direct callers). */
export function syntheticParams(p: Partial<SyntheticParams> & { images: number }): SyntheticParams {
  const q: SyntheticParams = { ...SYNTHETIC_DEFAULTS, ...p };
  const bad = (what: string) => new RangeError(`synthetic: ${what}`);
  if (q.kind !== "shapes") throw bad(`unknown kind ${String(q.kind)}`);
  if (!Number.isInteger(q.images) || q.images < 1) throw bad(`images must be a positive integer, got ${q.images}`);
  if (!Number.isInteger(q.size) || q.size < 8 || q.size > 1024) throw bad(`size must be 8..1024 px, got ${q.size}`);
  if (!Number.isInteger(q.classes) || q.classes < 2 || q.classes > MAX_CLASSES) throw bad(`classes must be 2..${MAX_CLASSES}, got ${q.classes}`);
  if (!Number.isInteger(q.groups) || q.groups < 1 || q.groups > 64) throw bad(`groups must be 1..64, got ${q.groups}`);
  if (!(q.shift >= 0 && q.shift <= 1)) throw bad(`shift must be within 0..1, got ${q.shift}`);
  if (!Number.isSafeInteger(q.seed) || q.seed < 0) throw bad(`seed must be a non-negative integer, got ${q.seed}`);
  return q;
}

function checkIndex(p: SyntheticParams, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= p.images) throw new RangeError(`synthetic: image ${i} outside 0..${p.images - 1}`);
}

/** The label of image i (balanced: i mod classes). */
export function syntheticLabel(p: SyntheticParams, i: number): number {
  checkIndex(p, i);
  return i % p.classes;
}

/** The group attribute of image i (uniform over groups, independent of the label). */
export function syntheticGroup(p: SyntheticParams, i: number): number {
  checkIndex(p, i);
  return p.groups > 1 ? derive(p.seed, SALT_GROUP, i).int(0, p.groups) : 0;
}

/** Generates image i. `out` (size×size×3 bytes) is reused when given. */
export function syntheticSample(p: SyntheticParams, i: number, out?: Uint8Array): SyntheticSample {
  const label = syntheticLabel(p, i);
  const group = syntheticGroup(p, i);
  const S = p.size;
  const pixels = out ?? new Uint8Array(S * S * 3);
  if (pixels.length !== S * S * 3) throw new RangeError(`synthetic: output buffer of ${pixels.length} bytes, need ${S * S * 3}`);
  const rng = derive(p.seed, SALT_IMAGE, i);
  const work = new Float64Array(S * S * 3);

  // Background.
  const bg = makeBackground(rng, p.shift, group, p.groups);
  const inv = 1 / S;
  for (let y = 0, o = 0; y < S; y++) {
    const v = (y + 0.5) * inv;
    for (let x = 0; x < S; x++, o += 3) {
      const t = backgroundMix(bg, (x + 0.5) * inv, v);
      work[o] = bg.a[0] + (bg.b[0] - bg.a[0]) * t;
      work[o + 1] = bg.a[1] + (bg.b[1] - bg.a[1]) * t;
      work[o + 2] = bg.a[2] + (bg.b[2] - bg.a[2]) * t;
    }
  }

  // The figure: one or more copies of the class's shape.
  const k = shapeClass(label);
  const fg = shapeColour(rng, p.shift, (luminance(bg.a) + luminance(bg.b)) / 2, groupContrast(group, p.groups));
  const R = S * rng.uniform(k.band[0], k.band[1]);
  const layout = copyLayout(k.copies);
  let extent = 0;
  for (const [ox, oy] of layout.offsets) extent = Math.max(extent, Math.sqrt(ox * ox + oy * oy) + layout.radius);
  const margin = Math.min(R * extent, S / 2);
  const cx = rng.uniform(margin, S - margin);
  const cy = rng.uniform(margin, S - margin);
  const [lc, ls] = randomDirection(rng);
  const ss = S <= 64 ? 4 : 2;
  for (const [ox, oy] of layout.offsets) {
    const [rc, rs] = randomDirection(rng);
    const x0 = cx + (ox * lc - oy * ls) * R;
    const y0 = cy + (ox * ls + oy * lc) * R;
    const r = R * layout.radius;
    drawCoverage(work, S, x0, y0, r, ss, fg, (px, py) => {
      const dx = (px - x0) / r, dy = (py - y0) / r;
      return insideClass(k, dx * rc + dy * rs, -dx * rs + dy * rc);
    });
  }

  // Clutter: a few small dots and thin strokes of shape-like colours.
  const clutter = rng.int(0, 4);
  for (let c = 0; c < clutter; c++) {
    const col = shapeColour(rng, p.shift, luminance(bg.a), 0.2);
    const x0 = rng.uniform(0, S), y0 = rng.uniform(0, S);
    if (rng.bernoulli(0.6)) {
      const r = S * rng.uniform(0.02, 0.045);
      drawCoverage(work, S, x0, y0, r, ss, col, (px, py) => (px - x0) * (px - x0) + (py - y0) * (py - y0) <= r * r);
    } else {
      const [dc, ds] = randomDirection(rng);
      const half = S * rng.uniform(0.06, 0.14), w = S * rng.uniform(0.012, 0.025);
      drawCoverage(work, S, x0, y0, half + w, ss, col, (px, py) => {
        const dx = px - x0, dy = py - y0;
        const along = dx * dc + dy * ds, across = -dx * ds + dy * dc;
        return Math.abs(along) <= half && Math.abs(across) <= w;
      });
    }
  }

  // Sensor noise and quantisation.
  const amp = 0.025 + 0.05 * p.shift;
  for (let o = 0; o < work.length; o++) {
    const x = work[o]! + amp * (rng.nextU32() * 4.656612873077393e-10 - 1);
    pixels[o] = x <= 0 ? 0 : x >= 1 ? 255 : Math.round(x * 255);
  }
  return { pixels, label, attributes: { group } };
}

/** Blends colour `col` into `work` by supersampled coverage of `inside` within radius r of (x0, y0). */
function drawCoverage(work: Float64Array, S: number, x0: number, y0: number, r: number, ss: number, col: Rgb, inside: (px: number, py: number) => boolean): void {
  const xa = Math.max(0, Math.floor(x0 - r)), xb = Math.min(S - 1, Math.ceil(x0 + r));
  const ya = Math.max(0, Math.floor(y0 - r)), yb = Math.min(S - 1, Math.ceil(y0 + r));
  const step = 1 / ss, n = ss * ss;
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      let hits = 0;
      for (let sy = 0; sy < ss; sy++) {
        const py = y + (sy + 0.5) * step;
        for (let sx = 0; sx < ss; sx++) if (inside(x + (sx + 0.5) * step, py)) hits++;
      }
      if (hits === 0) continue;
      const a = hits / n, o = (y * S + x) * 3;
      work[o] = work[o]! * (1 - a) + col[0] * a;
      work[o + 1] = work[o + 1]! * (1 - a) + col[1] * a;
      work[o + 2] = work[o + 2]! * (1 - a) + col[2] * a;
    }
  }
}

/** The synthetic dataset as an indexable collection. */
export class SyntheticDataset {
  readonly params: SyntheticParams;
  constructor(params: Partial<SyntheticParams> & { images: number }) {
    this.params = syntheticParams(params);
  }
  get length(): number {
    return this.params.images;
  }
  get(i: number, out?: Uint8Array): SyntheticSample {
    return syntheticSample(this.params, i, out);
  }
  label(i: number): number {
    return syntheticLabel(this.params, i);
  }
  group(i: number): number {
    return syntheticGroup(this.params, i);
  }
  /** All labels (cheap: no image is drawn). */
  labels(): Int32Array {
    const l = new Int32Array(this.length);
    for (let i = 0; i < l.length; i++) l[i] = i % this.params.classes;
    return l;
  }
  /** All group attributes (cheap: no image is drawn). */
  groups(): Int32Array {
    const g = new Int32Array(this.length);
    for (let i = 0; i < g.length; i++) g[i] = this.group(i);
    return g;
  }
}
