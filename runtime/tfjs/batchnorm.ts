// Batch normalisation over the channel (last) axis of NHWC or [N, C] tensors, with PyTorch's
// conventions: eps 1e-5; running stats updated as r = (1 - m)·r + m·batch with momentum
// m = 0.1; the running variance uses the unbiased batch variance, normalisation the biased one.
//
// Training mode has a hand-written backward (2 reductions instead of the ~6 autodiff makes;
// the training step goes from 271 to 224 ms, tfjs-runtime.md §5c):
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/σ · (dy − dβ/m − x̂·dγ/m)
import { customOp } from "./custom-grad.js";
import type { Rank, Tensor, Tensor1D, Tf, Variable } from "./tf.js";

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

function reductionAxes(x: Tensor): number[] {
  if (x.rank === 4) return [0, 1, 2];
  if (x.rank === 2) return [0];
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
 */
export function batchNormTrain<T extends Tensor>(
  tf: Tf,
  x: T,
  gamma: Tensor1D,
  beta: Tensor1D,
  eps: number = BN_EPS,
  onStats?: (mean: Tensor1D, variance: Tensor1D, count: number) => void,
): T {
  const axes = reductionAxes(x);
  const count = x.size / (x.shape[x.rank - 1] ?? 1);
  return customOp<[T, Tensor1D, Tensor1D], T>(tf, ([xs, g, b], save) => {
    const mean = tf.mean(xs, axes) as Tensor1D;
    const centred = tf.sub(xs, mean);
    const variance = tf.mean(tf.square(centred), axes) as Tensor1D;
    const rstd = tf.rsqrt(tf.add(variance, eps)) as Tensor1D;
    const xhat = tf.mul(centred, rstd) as T;
    onStats?.(mean, variance, count);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b) as T,
      gradFunc: (dy, saved) => {
        const [sx, sr, sg] = saved as [T, Tensor1D, Tensor1D];
        const dbeta = tf.sum(dy, axes) as Tensor1D;
        const dgamma = tf.sum(tf.mul(dy, sx), axes) as Tensor1D;
        const k = tf.mul(sg, sr);
        // dx = k·dy − k·dβ/m − x̂·(k·dγ/m): two broadcast multiplies and a subtract-add.
        const a = tf.mul(dy, k);
        const bias = tf.div(tf.mul(k, dbeta), count);
        const slope = tf.div(tf.mul(k, dgamma), count);
        const dx = tf.sub(tf.sub(a, bias), tf.mul(sx, slope));
        return [dx, dgamma, dbeta];
      },
    };
  })(x, gamma, beta);
}
