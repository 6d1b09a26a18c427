// Batch normalisation over the channel (last) axis of NHWC or [N, C] tensors, with PyTorch's
// conventions: eps 1e-5; running stats updated as r = (1 - m)·r + m·batch with momentum
// m = 0.1; the running variance uses the unbiased batch variance, normalisation the biased one.
//
// Training mode has a hand-written backward (2 reductions instead of the ~6 autodiff makes;
// the training step goes from 271 to 224 ms, tfjs-runtime.md §5c):
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/σ · (dy − dβ/m − x̂·dγ/m)
import { customOp } from "./custom-grad.js";
import type { Rank, Tensor, Tensor1D, Tensor2D, Tensor4D, Tf, Variable } from "./tf.js";

export interface BatchNormParams {
  readonly gamma: Variable<Rank.R1>;
  readonly beta: Variable<Rank.R1>;
  /** Buffers, not trained; updated in training mode. */
  readonly runningMean: Variable<Rank.R1>;
  readonly runningVar: Variable<Rank.R1>;
}

export interface BatchNormOptions {
  readonly training: boolean;
  /** PyTorch convention: weight of the new batch statistic. Default 0.1. */
  readonly momentum?: number;
  readonly eps?: number;
}

export const BN_MOMENTUM = 0.1;
export const BN_EPS = 1e-5;

function checkRank(x: Tensor): void {
  if (x.rank === 4 || x.rank === 2) return;
  throw new Error(`batchNorm: expected rank 2 or 4, got shape [${x.shape.join(",")}]`);
}

export function batchNorm<T extends Tensor>(tf: Tf, x: T, p: BatchNormParams, o: BatchNormOptions): T {
  const c = x.shape[x.rank - 1];
  if (p.gamma.shape[0] !== c) throw new Error(`batchNorm: ${c} channels, parameters for ${p.gamma.shape[0]}`);
  const eps = o.eps ?? BN_EPS;
  if (!o.training) {
    // y = x·scale + shift with scale = γ/√(var+eps), shift = β − mean·scale.
    const scale = tf.mul(p.gamma, tf.rsqrt(tf.add(p.runningVar, eps)));
    const shift = tf.sub(p.beta, tf.mul(p.runningMean, scale));
    return tf.add(tf.mul(x, scale), shift);
  }
  return batchNormTrain(tf, x, p.gamma, p.beta, eps, (mean, variance, count) => {
    if (count < 2) throw new Error("batchNorm: training needs more than one value per channel");
    const m = o.momentum ?? BN_MOMENTUM;
    p.runningMean.assign(tf.add(tf.mul(p.runningMean, 1 - m), tf.mul(mean, m)));
    p.runningVar.assign(tf.add(tf.mul(p.runningVar, 1 - m), tf.mul(variance, (m * count) / (count - 1))));
  });
}

/**
 * Training-mode BN with the fused backward. `onStats` receives the batch mean and biased
 * variance (valid only during the call) and the number of values per channel.
 *
 * Works on the [M, C] view of x. Channel means are average pools over an [M, 1] window: on wasm,
 * Sum and Mean over leading axes transpose first and are 4-8x slower (and a matMul with a row of
 * ones pays for packing the activation as its right-hand side).
 */
export function batchNormTrain<T extends Tensor>(
  tf: Tf,
  x: T,
  gamma: Tensor1D,
  beta: Tensor1D,
  eps: number = BN_EPS,
  onStats?: (mean: Tensor1D, variance: Tensor1D, count: number) => void,
): T {
  checkRank(x);
  const c = x.shape[x.rank - 1] ?? 1;
  const m = x.size / c;
  const shape = x.shape;
  return customOp<[T, Tensor1D, Tensor1D], T>(tf, ([xs, g, b], save) => {
    const x2 = tf.reshape(xs, [m, c]) as Tensor2D;
    const mean = channelMean(tf, x2); // [1, C]
    const centred = tf.sub(x2, mean) as Tensor2D;
    const variance = channelMean(tf, tf.square(centred) as Tensor2D);
    const rstd = tf.rsqrt(tf.add(variance, eps)) as Tensor2D;
    onStats?.(tf.reshape(mean, [c]), tf.reshape(variance, [c]), m);
    save([centred, rstd, g]);
    return {
      // x̂·γ + β = centred·(rstd·γ) + β: one full-size multiply fewer than forming x̂.
      value: tf.reshape(tf.add(tf.mul(centred, tf.mul(rstd, g)), b), shape) as T,
      gradFunc: (dy, saved) => {
        const [sc, sr, sg] = saved as [Tensor2D, Tensor2D, Tensor1D];
        const dy2 = tf.reshape(dy, [m, c]) as Tensor2D;
        const meanDy = channelMean(tf, dy2); // dβ / m, [1, C]
        const meanDyC = channelMean(tf, tf.mul(dy2, sc) as Tensor2D); // dγ / (m·rstd)
        const k = tf.mul(sg, sr); // γ·rstd, [1, C]
        // dx = k·dy − k·dβ/m − x̂·(k·dγ/m), with x̂ = centred·rstd
        const slope = tf.mul(k, tf.mul(tf.square(sr), meanDyC));
        const dx = tf.sub(tf.sub(tf.mul(dy2, k), tf.mul(k, meanDy)), tf.mul(sc, slope));
        const dgamma = tf.mul(tf.mul(sr, meanDyC), m);
        return [tf.reshape(dx, shape), tf.reshape(dgamma, [c]), tf.reshape(tf.mul(meanDy, m), [c])];
      },
    };
  })(x, gamma, beta);
}

/** Column means of [M, C] as [1, C], via a single [M, 1] average-pooling window. */
export function channelMean(tf: Tf, t: Tensor2D): Tensor2D {
  const [m, c] = t.shape;
  return tf.reshape(tf.avgPool(tf.reshape(t, [1, m, 1, c]) as Tensor4D, [m, 1], 1, "valid"), [1, c]);
}
