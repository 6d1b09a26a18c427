/** TensorFlow.js set-up and small fixtures for the SwAV runtime tests. */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { seededUniform } from "../../runtime/ssl/init.js";
import { mm } from "../../runtime/ssl/ops.js";

/** Switches to a backend ("wasm": the training backend; "cpu": the pure-JS reference) or fails. */
export async function useBackend(name: "wasm" | "cpu"): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend ${name} is unavailable.`);
  await tf.ready();
}

/** A seeded matrix [rows, cols] with entries in ±1; with `unitRows`, every row scaled to unit L2 norm. */
export function randomMatrix(seed: number, rows: number, cols: number, unitRows = false): Float32Array {
  const m = seededUniform(seed, "test-matrix", rows * cols, 1);
  if (unitRows) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += m[r * cols + c]! ** 2;
      for (let c = 0; c < cols; c++) m[r * cols + c] = m[r * cols + c]! / Math.sqrt(s);
    }
  }
  return m;
}

/** Images [N, H, W, C] → pooled features [N, F] (the shape of runtime/ssl/swav-step.ts's `Trunk`). */
export type TrunkFn = (x: tf.Tensor4D, training: boolean) => tf.Tensor2D;

/**
 * A stand-in trunk that trains on wasm: a 1×1 convolution (one matMul over all pixels), ReLU,
 * then global average pooling. Works for any crop resolution.
 */
export function tinyTrunk(seed: number, channels: number, features: number): { trunk: TrunkFn; params: Map<string, tf.Variable> } {
  const w = tf.tidy(() => tf.variable(tf.tensor2d(seededUniform(seed, "trunk.conv.weight", channels * features, 1 / Math.sqrt(channels)), [channels, features]), true));
  const trunk: TrunkFn = (x) =>
    tf.tidy(() => {
      const [n, h, wd, c] = x.shape;
      const y = tf.relu(mm(tf.reshape(x, [n * h * wd, c]), w as tf.Tensor2D));
      return tf.mean(tf.reshape(y, [n, h * wd, features]), 1) as tf.Tensor2D;
    });
  return { trunk, params: new Map([["trunk.conv.weight", w]]) };
}

/** Seeded crops: `count` tensors [batch, size, size, channels] per group. */
export function seededCrops(seed: number, batch: number, groups: readonly { count: number; size: number }[], channels = 3): tf.Tensor4D[] {
  const out: tf.Tensor4D[] = [];
  let i = 0;
  for (const g of groups) {
    for (let c = 0; c < g.count; c++, i++) {
      out.push(tf.tensor4d(seededUniform(seed + i, "crop", batch * g.size * g.size * channels, 1), [batch, g.size, g.size, channels]));
    }
  }
  return out;
}

/** Max |a − b| / max(max |b|, tiny). */
export function relMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1e-30;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}
