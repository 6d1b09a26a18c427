/**
 * Photometric operations on float RGB pixels (HWC, values 0..1), in place on a region
 * [off, off + n·3) of a buffer, following torchvision's tensor implementations: each op
 * clamps to [0, 1]; grayscale weights (0.2989, 0.587, 0.114); contrast blends with the
 * mean grayscale of the whole crop; hue rotates in HSV.
 */

const clamp = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const gray = (r: number, g: number, b: number): number => 0.2989 * r + 0.587 * g + 0.114 * b;

export function adjustBrightness(p: Float32Array, off: number, n: number, f: number): void {
  for (let i = off, e = off + n * 3; i < e; i++) p[i] = clamp(p[i]! * f);
}

export function adjustContrast(p: Float32Array, off: number, n: number, f: number): void {
  let sum = 0;
  for (let i = off, e = off + n * 3; i < e; i += 3) sum += gray(p[i]!, p[i + 1]!, p[i + 2]!);
  const m = (1 - f) * (sum / n);
  for (let i = off, e = off + n * 3; i < e; i++) p[i] = clamp(f * p[i]! + m);
}

export function adjustSaturation(p: Float32Array, off: number, n: number, f: number): void {
  for (let i = off, e = off + n * 3; i < e; i += 3) {
    const r = p[i]!, g = p[i + 1]!, b = p[i + 2]!;
    const m = (1 - f) * gray(r, g, b);
    p[i] = clamp(f * r + m);
    p[i + 1] = clamp(f * g + m);
    p[i + 2] = clamp(f * b + m);
  }
}

/** Shifts hue by `h` turns (h in [-0.5, 0.5]). */
export function adjustHue(p: Float32Array, off: number, n: number, h: number): void {
  for (let i = off, e = off + n * 3; i < e; i += 3) {
    const r = p[i]!, g = p[i + 1]!, b = p[i + 2]!;
    const max = r > g ? (r > b ? r : b) : g > b ? g : b;
    const min = r < g ? (r < b ? r : b) : g < b ? g : b;
    const d = max - min;
    if (d === 0) continue; // grey: hue has no effect
    const s = d / max;
    let hue: number;
    if (max === r) hue = (g - b) / d;
    else if (max === g) hue = 2 + (b - r) / d;
    else hue = 4 + (r - g) / d;
    hue = hue / 6 + h;
    hue -= Math.floor(hue);
    // HSV -> RGB with v = max.
    const x = hue * 6;
    const k = Math.floor(x);
    const f = x - k;
    const v = max, pp = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    let R: number, G: number, B: number;
    switch (k % 6) {
      case 0: R = v; G = t; B = pp; break;
      case 1: R = q; G = v; B = pp; break;
      case 2: R = pp; G = v; B = t; break;
      case 3: R = pp; G = q; B = v; break;
      case 4: R = t; G = pp; B = v; break;
      default: R = v; G = pp; B = q;
    }
    p[i] = clamp(R);
    p[i + 1] = clamp(G);
    p[i + 2] = clamp(B);
  }
}

export function toGrayscale(p: Float32Array, off: number, n: number): void {
  for (let i = off, e = off + n * 3; i < e; i += 3) {
    const y = gray(p[i]!, p[i + 1]!, p[i + 2]!);
    p[i] = y;
    p[i + 1] = y;
    p[i + 2] = y;
  }
}

/** Separable Gaussian blur with standard deviation `sigma` px (taps to 3σ, edges clamped). */
export class Blur {
  private kernel = new Float32Array(0);
  private tmp = new Float32Array(0);

  apply(p: Float32Array, off: number, w: number, h: number, sigma: number): void {
    const radius = Math.max(1, Math.min(Math.ceil(3 * sigma), Math.max(w, h)));
    const klen = 2 * radius + 1;
    if (this.kernel.length < klen) this.kernel = new Float32Array(klen);
    const k = this.kernel;
    let sum = 0;
    for (let i = -radius; i <= radius; i++) {
      const v = Math.exp((-i * i) / (2 * sigma * sigma));
      k[i + radius] = v;
      sum += v;
    }
    for (let i = 0; i < klen; i++) k[i]! /= sum;
    const n = w * h * 3;
    if (this.tmp.length < n) this.tmp = new Float32Array(n);
    const t = this.tmp;
    // Horizontal: p -> tmp.
    for (let y = 0; y < h; y++) {
      const row = off + y * w * 3;
      for (let x = 0; x < w; x++) {
        let a = 0, g = 0, b = 0;
        for (let j = -radius; j <= radius; j++) {
          const xx = x + j < 0 ? 0 : x + j >= w ? w - 1 : x + j;
          const kw = k[j + radius]!, s = row + xx * 3;
          a += kw * p[s]!;
          g += kw * p[s + 1]!;
          b += kw * p[s + 2]!;
        }
        const o = (y * w + x) * 3;
        t[o] = a;
        t[o + 1] = g;
        t[o + 2] = b;
      }
    }
    // Vertical: tmp -> p.
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let a = 0, g = 0, b = 0;
        for (let j = -radius; j <= radius; j++) {
          const yy = y + j < 0 ? 0 : y + j >= h ? h - 1 : y + j;
          const kw = k[j + radius]!, s = (yy * w + x) * 3;
          a += kw * t[s]!;
          g += kw * t[s + 1]!;
          b += kw * t[s + 2]!;
        }
        const o = off + (y * w + x) * 3;
        p[o] = a;
        p[o + 1] = g;
        p[o + 2] = b;
      }
    }
  }
}
