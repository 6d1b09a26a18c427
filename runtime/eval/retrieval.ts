/**
 * Copy-detection descriptors: R-MAC regional max pooling (Tolias et al.) or GeM pooling of
 * a feature map, and PCA whitening learned on a separate set. Pure JS on float arrays.
 */
import { l2NormalizeRows } from "./metrics.js";

/** A feature map in CHW layout. */
export interface FeatureMap {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * R-MAC regions: at level l (1..levels) square regions of side 2*min(H,W)/(l+1), placed
 * uniformly with about 40% overlap; level 1 adds as many regions along the longer side as
 * the aspect ratio needs (the usual R-MAC grid).
 */
export function rmacRegions(height: number, width: number, levels: number): Region[] {
  const out: Region[] = [];
  const minSide = Math.min(height, width);
  const longer = Math.max(height, width);
  // Extra regions along the longer dimension so level-1 regions overlap by ~40%.
  const ovr = 0.4;
  let steps = 0;
  let best = Infinity;
  for (let s = 0; s <= 6; s++) {
    const b = s === 0 ? 0 : (longer - minSide) / s;
    const err = Math.abs((minSide * minSide - minSide * b) / (minSide * minSide) - ovr);
    if (longer > minSide && s > 0 && err < best) {
      best = err;
      steps = s;
    }
  }
  for (let l = 1; l <= levels; l++) {
    const side = Math.max(1, Math.floor((2 * minSide) / (l + 1)));
    const nH = height >= width ? l + steps : l;
    const nW = width > height ? l + steps : l;
    const posY = positions(height, side, nH);
    const posX = positions(width, side, nW);
    for (const y of posY) for (const x of posX) out.push({ x, y, w: Math.min(side, width - x), h: Math.min(side, height - y) });
  }
  return out;
}

function positions(extent: number, side: number, n: number): number[] {
  if (n <= 1 || extent <= side) return [Math.max(0, Math.floor((extent - side) / 2))];
  const step = (extent - side) / (n - 1);
  return [...new Set(Array.from({ length: n }, (_, i) => Math.floor(i * step)))];
}

/** Sum of L2-normalised per-region channel maxima, L2-normalised: a C-dim descriptor. */
export function rmac(map: FeatureMap, levels: number): Float32Array {
  const { channels: C, height: H, width: W, data } = map;
  const desc = new Float32Array(C);
  const r = new Float32Array(C);
  for (const reg of rmacRegions(H, W, levels)) {
    for (let c = 0; c < C; c++) {
      let m = -Infinity;
      for (let y = reg.y; y < reg.y + reg.h; y++) {
        const row = c * H * W + y * W;
        for (let x = reg.x; x < reg.x + reg.w; x++) m = Math.max(m, data[row + x]!);
      }
      r[c] = m;
    }
    l2NormalizeRows(r, C);
    for (let c = 0; c < C; c++) desc[c] = desc[c]! + r[c]!;
  }
  return l2NormalizeRows(desc, C);
}

/** Maps stored row-major as NHWC: n rows of [height, width, channels]. */
export interface NhwcMaps {
  data: Float32Array;
  n: number;
  map: readonly [number, number, number];
}

/** One L2-normalised C-dim descriptor per map (R-MAC with `levels`, or GeM), row-major [n, C]. */
export function poolMaps(maps: NhwcMaps, pooling: "rmac" | "gem", levels: number): Float32Array {
  const [height, width, channels] = maps.map;
  const hw = height * width;
  const out = new Float32Array(maps.n * channels);
  const chw = new Float32Array(channels * hw);
  for (let i = 0; i < maps.n; i++) {
    const base = i * hw * channels;
    for (let p = 0; p < hw; p++) for (let c = 0; c < channels; c++) chw[c * hw + p] = maps.data[base + p * channels + c]!;
    const m: FeatureMap = { data: chw, channels, height, width };
    out.set(pooling === "gem" ? gem(m) : rmac(m, levels), i * channels);
  }
  return out;
}

/** Generalised-mean pooling (p = 3 by default) of a non-negative map, L2-normalised. */
export function gem(map: FeatureMap, p = 3): Float32Array {
  const { channels: C, height: H, width: W, data } = map;
  const out = new Float32Array(C);
  const n = H * W;
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.max(data[c * n + i]!, 1e-6) ** p;
    out[c] = (s / n) ** (1 / p);
  }
  return l2NormalizeRows(out, C);
}

export interface Whitening {
  mean: Float64Array;
  /** Row-major [dims, d]: projection rows already divided by sqrt(eigenvalue + eps). */
  projection: Float64Array;
  dims: number;
  d: number;
}

/** Learns PCA whitening from row-major [n, d] descriptors, keeping the top `dims` directions. */
export function fitWhitening(x: Float32Array, d: number, dims: number, eps = 1e-6): Whitening {
  const n = x.length / d;
  const k = Math.min(dims, d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = x[i * d + a]! - mean[a]!;
      for (let b = a; b < d; b++) cov[a * d + b] = cov[a * d + b]! + (va * (x[i * d + b]! - mean[b]!)) / Math.max(1, n - 1);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from(values.keys()).sort((a, b) => values[b]! - values[a]!).slice(0, k);
  const projection = new Float64Array(k * d);
  order.forEach((col, row) => {
    const scale = 1 / Math.sqrt(Math.max(values[col]!, 0) + eps);
    // A deterministic sign: the largest component of each eigenvector is positive.
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(vectors[j * d + col]!) > Math.abs(vectors[big * d + col]!)) big = j;
    const sign = vectors[big * d + col]! < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) projection[row * d + j] = sign * vectors[j * d + col]! * scale;
  });
  return { mean, projection, dims: k, d };
}

/** Applies whitening to row-major [n, d] descriptors; returns L2-normalised [n, dims]. */
export function applyWhitening(w: Whitening, x: Float32Array): Float32Array {
  const n = x.length / w.d;
  const out = new Float32Array(n * w.dims);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < w.dims; r++) {
      let s = 0;
      for (let j = 0; j < w.d; j++) s += w.projection[r * w.d + j]! * (x[i * w.d + j]! - w.mean[j]!);
      out[i * w.dims + r] = s;
    }
  }
  return l2NormalizeRows(out, w.dims);
}

/** Cyclic Jacobi eigen-decomposition of a symmetric d x d matrix (columns of `vectors`). */
export function symmetricEigen(m: Float64Array, d: number, maxSweeps = 60): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i]!;
  return { values, vectors: v };
}
