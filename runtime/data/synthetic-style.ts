/**
 * Nuisance factors of the synthetic `shapes` images: background textures and colours.
 * `shift` (0..1) moves the palette (hues, saturation) and the texture mix and frequency;
 * the `group` attribute biases texture family, brightness and shape contrast, so that
 * per-group accuracy can differ. Everything is plain float64 arithmetic (no Math.sin et
 * al.), so pixels are identical on every machine.
 */
import type { Rng } from "./rng.js";

export type Rgb = [number, number, number];

export const TEXTURES = ["gradient", "stripes", "noise", "checker", "dots", "rings", "plaid"] as const;
/** Texture weights at shift 0 and shift 1 (interpolated linearly in between). */
const WEIGHTS_0 = [3, 3, 3, 2, 1, 1, 0.3];
const WEIGHTS_1 = [0.5, 1, 1, 1, 3, 3, 3];

export interface Background {
  readonly family: number;
  readonly a: Rgb;
  readonly b: Rgb;
  /** Direction (cos, sin) and frequency in cycles per image side. */
  readonly c: number;
  readonly s: number;
  readonly freq: number;
  readonly freq2: number;
  readonly phase: number;
  readonly cx: number;
  readonly cy: number;
  /** Value-noise lattice ((n+1)² values) for the `noise` family. */
  readonly lattice: Float64Array;
  readonly cells: number;
}

/** Where a group sits in 0..1 (0 for a single group). */
export const groupPosition = (group: number, groups: number): number => (groups > 1 ? group / (groups - 1) : 0);

/** A direction (cos, sin) from rational parametrisation: uniform enough, exact everywhere. */
export function randomDirection(rng: Rng): [number, number] {
  const t = rng.uniform(-1, 1);
  const d = 1 + t * t;
  const sign = rng.bernoulli(0.5) ? 1 : -1;
  return [(sign * (1 - t * t)) / d, (sign * 2 * t) / d];
}

export function hsvToRgb(h: number, s: number, v: number): Rgb {
  h = (h - Math.floor(h)) * 6;
  const i = Math.floor(h) % 6;
  const f = h - Math.floor(h);
  const p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  switch (i) {
    case 0: return [v, t, p];
    case 1: return [q, v, p];
    case 2: return [p, v, t];
    case 3: return [p, q, v];
    case 4: return [t, p, v];
    default: return [v, p, q];
  }
}

export const luminance = (c: Rgb): number => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

function pickFamily(rng: Rng, shift: number, group: number, groups: number): number {
  if (groups > 1 && rng.bernoulli(0.55)) return group % TEXTURES.length;
  let total = 0;
  const w = WEIGHTS_0.map((w0, i) => {
    const x = w0 + (WEIGHTS_1[i]! - w0) * shift;
    total += x;
    return x;
  });
  let r = rng.uniform(0, total);
  for (let i = 0; i < w.length; i++) {
    r -= w[i]!;
    if (r < 0) return i;
  }
  return w.length - 1;
}

/** Draws a background for one image. */
export function makeBackground(rng: Rng, shift: number, group: number, groups: number): Background {
  const family = pickFamily(rng, shift, group, groups);
  const gp = groupPosition(group, groups);
  const hue = 0.58 + 0.42 * shift + rng.uniform(-0.18, 0.18);
  const sat = clamp01(rng.uniform(0.08, 0.45) + 0.4 * shift);
  const val = clamp01(rng.uniform(0.35, 0.85) + (groups > 1 ? 0.12 - 0.3 * gp : 0));
  const a = hsvToRgb(hue, sat, val);
  const dv = rng.uniform(0.1, 0.28) * (rng.bernoulli(0.5) ? 1 : -1);
  const b = hsvToRgb(hue + rng.uniform(-0.07, 0.07), clamp01(sat + rng.uniform(-0.1, 0.1)), clamp01(val + dv));
  const [c, s] = randomDirection(rng);
  const fm = 1 + 1.2 * shift;
  const cells = 2 + rng.int(0, 4);
  const lattice = new Float64Array((cells + 1) * (cells + 1));
  if (TEXTURES[family] === "noise") for (let i = 0; i < lattice.length; i++) lattice[i] = rng.uniform();
  return {
    family, a, b, c, s, cells, lattice,
    freq: rng.uniform(1.5, 5) * fm,
    freq2: rng.uniform(1.5, 5) * fm,
    phase: rng.uniform(),
    cx: rng.uniform(-0.3, 1.3),
    cy: rng.uniform(-0.3, 1.3),
  };
}

const frac = (x: number): number => x - Math.floor(x);
const smooth = (e0: number, e1: number, x: number): number => {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};
/** A soft square wave in [0, 1]. */
const wave = (x: number): number => smooth(0.3, 0.7, Math.abs(2 * frac(x) - 1));

/** Mix factor between colours a (0) and b (1) at (u, v) in [0, 1]². */
export function backgroundMix(bg: Background, u: number, v: number): number {
  const p = u * bg.c + v * bg.s;
  const q = -u * bg.s + v * bg.c;
  switch (bg.family) {
    case 0: return clamp01(0.5 + (p - (0.5 * bg.c + 0.5 * bg.s)) * 1.1);
    case 1: return wave(p * bg.freq + bg.phase);
    case 2: {
      const n = bg.cells;
      const x = u * (n - 1e-9), y = v * (n - 1e-9);
      const ix = Math.floor(x), iy = Math.floor(y);
      const fx = smooth(0, 1, x - ix), fy = smooth(0, 1, y - iy);
      const l = bg.lattice, w = n + 1, o = iy * w + ix;
      const top = l[o]! + (l[o + 1]! - l[o]!) * fx;
      const bot = l[o + w]! + (l[o + w + 1]! - l[o + w]!) * fx;
      return smooth(0.2, 0.8, top + (bot - top) * fy);
    }
    case 3: return (Math.floor(p * bg.freq + bg.phase) + Math.floor(q * bg.freq)) & 1;
    case 4: {
      const fa = frac(p * bg.freq * 1.6 + bg.phase) - 0.5, fb = frac(q * bg.freq * 1.6) - 0.5;
      return fa * fa + fb * fb < 0.07 ? 1 : 0;
    }
    case 5: {
      const dx = u - bg.cx, dy = v - bg.cy;
      return wave(Math.sqrt(dx * dx + dy * dy) * bg.freq * 1.5 + bg.phase);
    }
    default: return 0.5 * (wave(p * bg.freq + bg.phase) + wave(q * bg.freq2));
  }
}

/**
 * A shape colour that stands out from a background of luminance `bgLum` by at least
 * `contrast` (in luminance), with a hue drawn around a shift-dependent centre.
 */
export function shapeColour(rng: Rng, shift: number, bgLum: number, contrast: number): Rgb {
  const hue = 0.08 + 0.45 * shift + rng.uniform(-0.3, 0.3);
  let sat = rng.uniform(0.45, 1);
  const pure = hsvToRgb(hue, 1, 1);
  const yPure = luminance(pure);
  if (bgLum >= 0.5) {
    // Dark shape: any saturation; value bounded so luminance stays below bgLum - contrast.
    const yUnit = 1 - sat * (1 - yPure);
    const vMax = Math.min(1, Math.max(0.02, (bgLum - contrast) / yUnit));
    return hsvToRgb(hue, sat, rng.uniform(0.02, vMax));
  }
  // Light shape: desaturate if needed so that luminance can reach bgLum + contrast.
  const target = Math.min(0.98, bgLum + contrast);
  if (1 - sat * (1 - yPure) < target) sat = Math.max(0, (1 - target) / (1 - yPure));
  const yUnit = 1 - sat * (1 - yPure);
  const vMin = Math.min(1, target / yUnit);
  return hsvToRgb(hue, sat, rng.uniform(vMin, 1));
}

/** Minimum shape/background luminance contrast for a group (later groups are harder). */
export const groupContrast = (group: number, groups: number): number => 0.34 - 0.16 * groupPosition(group, groups);
