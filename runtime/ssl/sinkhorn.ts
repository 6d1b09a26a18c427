/**
 * Sinkhorn-Knopp codes (SwAV §3.1; VISSL's fp32 path), for scores [N, K] of N samples (the
 * batch rows first, then any queue rows) against K prototypes:
 *
 *   Q = exp((S − max S)/ε)           the global max is subtracted first so exp never overflows
 *   Q = Q / ΣQ
 *   repeat `iterations` times:
 *     Q[:, k] ← Q[:, k] / (K · Σ_b Q[b, k])    each prototype gets mass 1/K
 *     Q[b, :] ← Q[b, :] / (N · Σ_k Q[b, k])    each sample gets mass 1/N
 *   Q = Q · N                         each sample's code sums to 1
 *
 * (In the paper's K×N orientation the first step normalises rows, the second columns.) Only
 * the first `keepRows` rows (the batch) are returned. With unit-norm embeddings and prototypes
 * the scores lie in [−1, 1], so after the max subtraction every entry is ≥ exp(−2/ε) (about
 * 1e-29 for ε = 0.03), well inside float32. VISSL's inf scrubbing is not needed (nothing can
 * overflow after the subtraction) and there is no fp64 path (the wasm backend has no float64).
 */
import * as tf from "@tensorflow/tfjs";
import { asConstant } from "./ops.js";

export interface SinkhornOptions {
  iterations: number;
  epsilon: number;
}

/** The raw Sinkhorn-Knopp ops (differentiable in principle; use `sinkhorn` for codes). */
export function sinkhornKnopp(scores: tf.Tensor2D, opts: SinkhornOptions, keepRows: number = scores.shape[0]): tf.Tensor2D {
  const [n, k] = scores.shape;
  if (!(keepRows >= 1 && keepRows <= n)) throw new Error(`Sinkhorn: cannot keep ${keepRows} of ${n} rows.`);
  if (!(opts.epsilon > 0) || !(opts.iterations >= 0)) throw new Error("Sinkhorn needs epsilon > 0 and iterations >= 0.");
  return tf.tidy(() => {
    let q: tf.Tensor2D = tf.exp(tf.div<tf.Tensor2D>(tf.sub(scores, tf.max(scores)), opts.epsilon));
    q = tf.div(q, tf.sum(q));
    for (let i = 0; i < opts.iterations; i++) {
      q = tf.div(q, tf.mul(tf.sum(q, 0, true), k));
      q = tf.div(q, tf.mul(tf.sum(q, 1, true), n));
    }
    q = tf.mul(q, n);
    return keepRows === n ? q : tf.slice(q, [0, 0], [keepRows, k]);
  });
}

/** Codes for the first `keepRows` rows of `scores`, as a constant (no gradient flows back). */
export function sinkhorn(scores: tf.Tensor2D, opts: SinkhornOptions, keepRows: number = scores.shape[0]): tf.Tensor2D {
  return asConstant((s) => sinkhornKnopp(s as tf.Tensor2D, opts, keepRows), [scores]);
}
