/**
 * Feature extraction from a frozen trunk: forward in eval mode (no gradients), one tap, then
 * pooling — global average, or a VISSL-style adaptive average grid such as res4 (2x1) —
 * flattened to row-major [n, dim] float32; or no pooling (the NHWC map, for copy detection).
 */
import type { RegNet, TapName } from "../tfjs/regnet.js";
import type { Tensor, Tensor4D, Tf } from "../tfjs/tf.js";

/** An adaptive average pool to a grid of rows x columns ([1, 1] is global average), or `map`: no pooling. */
export type Pooling = { grid: [number, number] } | { map: true };

export const GLOBAL_AVERAGE: Pooling = { grid: [1, 1] };
/** The unpooled NHWC map (for copy detection, which pools regions itself). */
export const FEATURE_MAP: Pooling = { map: true };

export interface FeatureMatrix {
  data: Float32Array;
  n: number;
  dim: number;
  /** For unpooled maps: each row is an [height, width, channels] map, row-major. */
  map?: [number, number, number];
}

/** The tap whose map a `map` extraction reads: `pool` has no map, so the last stage's (the map it pools). */
export function mapTap(net: Pick<RegNet, "tapNames">, tap: TapName): TapName {
  return tap === "pool" ? net.tapNames[net.tapNames.length - 2]! : tap;
}

/** Adaptive average pooling of an NHWC map in JS (PyTorch's bin edges: floor/ceil). */
export function adaptiveAvgPool(map: Float32Array, n: number, h: number, w: number, c: number, grid: [number, number]): Float32Array {
  const [gh, gw] = grid;
  const out = new Float32Array(n * gh * gw * c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < gh; i++) {
      const y0 = Math.floor((i * h) / gh);
      const y1 = Math.ceil(((i + 1) * h) / gh);
      for (let j = 0; j < gw; j++) {
        const x0 = Math.floor((j * w) / gw);
        const x1 = Math.ceil(((j + 1) * w) / gw);
        const cells = (y1 - y0) * (x1 - x0);
        // Channel-last output per cell, cells in row-major order (C-major flattening as VISSL's
        // flatten of [C, gh, gw] would differ only by a fixed permutation of the feature axis).
        const o = ((b * gh + i) * gw + j) * c;
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            const p = ((b * h + y) * w + x) * c;
            for (let k = 0; k < c; k++) out[o + k] = out[o + k]! + map[p + k]!;
          }
        }
        for (let k = 0; k < c; k++) out[o + k] = out[o + k]! / cells;
      }
    }
  }
  return out;
}

/** Features of one batch of NHWC images at a tap. */
export async function extractBatch(tf: Tf, net: RegNet, images: Tensor4D, tap: TapName, pooling: Pooling = GLOBAL_AVERAGE): Promise<FeatureMatrix> {
  const n = images.shape[0];
  const t: Tensor = tf.tidy(() => {
    const out = net.apply(images, { training: false, taps: [tap] }).taps[tap];
    if (!out) throw new Error(`the network has no tap ${tap}`);
    return out;
  });
  try {
    const data = (await t.data()) as Float32Array;
    if (t.shape.length === 2) {
      if ("map" in pooling) throw new Error(`tap ${tap} has no spatial map`);
      return { data: Float32Array.from(data), n, dim: t.shape[1]! };
    }
    const [, h, w, c] = t.shape as [number, number, number, number];
    if ("map" in pooling) return { data: Float32Array.from(data), n, dim: h * w * c, map: [h, w, c] };
    const pooled = pooling.grid[0] === h && pooling.grid[1] === w ? Float32Array.from(data) : adaptiveAvgPool(data, n, h, w, c, pooling.grid);
    return { data: pooled, n, dim: pooling.grid[0] * pooling.grid[1] * c };
  } finally {
    t.dispose();
  }
}

/** Concatenates batches of features. */
export function concatFeatures(parts: readonly FeatureMatrix[]): FeatureMatrix {
  const dim = parts[0]?.dim ?? 0;
  const map = parts[0]?.map;
  const n = parts.reduce((s, p) => s + p.n, 0);
  const data = new Float32Array(n * dim);
  let off = 0;
  for (const p of parts) {
    if (p.dim !== dim) throw new Error(`feature dims differ: ${p.dim} vs ${dim}`);
    data.set(p.data, off);
    off += p.data.length;
  }
  return { data, n, dim, ...(map ? { map } : {}) };
}
