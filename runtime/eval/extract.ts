/**
 * Feature extraction from a frozen trunk: forward in eval mode (no gradients), one tap, then
 * pooling — global average, or a VISSL-style adaptive average grid such as res4 (2x1) —
 * flattened to row-major [n, dim] float32.
 */
import type { RegNet, TapName } from "../tfjs/regnet.js";
import type { Tensor, Tensor4D, Tf } from "../tfjs/tf.js";

export interface Pooling {
  /** Output grid rows x columns of the adaptive average pool; [1, 1] is global average. */
  grid: [number, number];
}

export const GLOBAL_AVERAGE: Pooling = { grid: [1, 1] };

export interface FeatureMatrix {
  data: Float32Array;
  n: number;
  dim: number;
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
    if (t.shape.length === 2) return { data: Float32Array.from(data), n, dim: t.shape[1]! };
    const [, h, w, c] = t.shape as [number, number, number, number];
    const pooled = pooling.grid[0] === h && pooling.grid[1] === w ? Float32Array.from(data) : adaptiveAvgPool(data, n, h, w, c, pooling.grid);
    return { data: pooled, n, dim: pooling.grid[0] * pooling.grid[1] * c };
  } finally {
    t.dispose();
  }
}

/** Concatenates batches of features. */
export function concatFeatures(parts: readonly FeatureMatrix[]): FeatureMatrix {
  const dim = parts[0]?.dim ?? 0;
  const n = parts.reduce((s, p) => s + p.n, 0);
  const data = new Float32Array(n * dim);
  let off = 0;
  for (const p of parts) {
    if (p.dim !== dim) throw new Error(`feature dims differ: ${p.dim} vs ${dim}`);
    data.set(p.data, off);
    off += p.data.length;
  }
  return { data, n, dim };
}
