/**
 * The SwAV swapped-prediction loss over multi-crop embeddings.
 *
 * `z` holds the L2-normalised embeddings of all V crops, crop-major: rows [v·B, (v+1)·B) are
 * crop v of the B images. With scores S = z·Cᵀ and p_v = softmax(S_v/τ):
 *
 *   for every assigning crop a: q_a = Sinkhorn(S_a [; queue_a·Cᵀ]) restricted to the batch rows,
 *                               computed as a constant (no gradient);
 *   L = (1/|A|) Σ_a (1/(V−1)) Σ_{v≠a} −(1/B) Σ_b Σ_k q_a[b,k] · log p_v[b,k]
 *
 * Σ_{v≠a} log p_v is computed once as Σ_v log p_v − log p_a. Only slices and reshapes are used
 * to pick rows (no gather, no stridedSlice: neither has a gradient on wasm).
 */
import * as tf from "@tensorflow/tfjs";
import { asConstant, mm } from "./ops.js";
import { sinkhornKnopp, type SinkhornOptions } from "./sinkhorn.js";

export interface SwappedLossOptions {
  /** Number of crops V (z has V·B rows). */
  crops: number;
  /** Indices of the crops whose codes are computed (SwAV's `crops_for_assign`). */
  assign: readonly number[];
  temperature: number;
  sinkhorn: SinkhornOptions;
}

/**
 * Codes for the B rows of `scores` (assigning crop `i` of `assign`), with the queue's embeddings
 * [L, D] (if any) scored against the current prototypes and appended for Sinkhorn only.
 */
export function codesFor(scores: tf.Tensor2D, prototypes: tf.Tensor2D, queue: tf.Tensor2D | null, opts: SinkhornOptions): tf.Tensor2D {
  const b = scores.shape[0];
  if (!queue) return asConstant((s) => sinkhornKnopp(s as tf.Tensor2D, opts), [scores]);
  return asConstant(
    (s, c, qz) => {
      const queueScores: tf.Tensor2D = tf.matMul(qz as tf.Tensor2D, tf.transpose(c as tf.Tensor2D));
      return sinkhornKnopp(tf.concat<tf.Tensor2D>([s as tf.Tensor2D, queueScores], 0), opts, b);
    },
    [scores, prototypes, queue],
  );
}

/**
 * The loss for embeddings z [V·B, D] and prototypes [K, D]. `queue`, when given, is [|A|, L, D]:
 * row block i holds past embeddings of assigning crop assign[i].
 */
export function swappedLoss(z: tf.Tensor2D, prototypes: tf.Tensor2D, opts: SwappedLossOptions, queue: tf.Tensor3D | null = null): tf.Scalar {
  const v = opts.crops;
  const [rows, d] = z.shape;
  const k = prototypes.shape[0];
  const b = rows / v;
  if (v < 2 || !Number.isInteger(b) || b < 1) throw new Error(`Swapped loss: ${rows} embedding rows do not split into ${v} >= 2 crops.`);
  if (opts.assign.length === 0 || opts.assign.some((a) => !Number.isInteger(a) || a < 0 || a >= v)) throw new Error(`Swapped loss: assigning crops ${JSON.stringify(opts.assign)} are not crops of 0..${v - 1}.`);
  if (queue && (queue.shape[0] !== opts.assign.length || queue.shape[2] !== d)) throw new Error(`Swapped loss: queue of shape [${queue.shape.join(", ")}] does not fit ${opts.assign.length} assigning crops of dimension ${d}.`);
  return tf.tidy(() => {
    const scores = mm(z, tf.transpose(prototypes));
    const logp = tf.logSoftmax(tf.div(scores, opts.temperature));
    const sumLogp = tf.sum(tf.reshape(logp, [v, b, k]), 0);
    const perCrop = opts.assign.map((a, i) => {
      const sa = tf.slice(scores, [a * b, 0], [b, k]);
      const qa = queue ? tf.reshape<tf.Rank.R2>(tf.slice(queue, [i, 0, 0], [1, queue.shape[1], d]), [queue.shape[1], d]) : null;
      const codes = codesFor(sa, prototypes, qa, opts.sinkhorn);
      const others = tf.sub(sumLogp, tf.slice(logp, [a * b, 0], [b, k]));
      return tf.neg(tf.sum(tf.mul(codes, others)));
    });
    return tf.div(tf.addN(perCrop), b * (v - 1) * opts.assign.length) as tf.Scalar;
  });
}
