// Plain-tfjs reference implementations (autodiff only) used as ground truth on the cpu backend.
// No side effects at import time.
import type { Tensor, Tensor2D, Tensor4D, Tf } from "../../runtime/tfjs/tf.js";

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

function pad4(p: number): Pad4 {
  return [[0, 0], [p, p], [p, p], [0, 0]];
}

/** Grouped conv the obvious way: one tf.conv2d per group on channel slices; PyTorch padding. */
export function referenceConv(t: Tf, x: Tensor4D, w: Tensor4D, stride: number, pad: number, groups: number): Tensor4D {
  if (groups === 1) return t.conv2d(x, w, stride, pad4(pad));
  const cig = w.shape[2];
  const cog = w.shape[3] / groups;
  const outs: Tensor4D[] = [];
  for (let g = 0; g < groups; g++) {
    const xg = t.slice(x, [0, 0, 0, g * cig], [-1, -1, -1, cig]);
    const wg = t.slice(w, [0, 0, 0, g * cog], [-1, -1, -1, cog]);
    outs.push(t.conv2d(xg, wg, stride, pad4(pad)));
  }
  return t.concat(outs, 3);
}

/** Training-mode batch norm via tf.moments (biased variance, eps 1e-5). */
export function referenceBatchNorm(t: Tf, x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const { mean, variance } = t.moments(x, axes);
  return t.add(t.mul(t.div(t.sub(x, mean), t.sqrt(t.add(variance, 1e-5))), gamma), beta);
}

/** Eval-mode batch norm from running statistics. */
export function referenceBatchNormEval(t: Tf, x: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor): Tensor {
  return t.add(t.mul(t.div(t.sub(x, mean), t.sqrt(t.add(variance, 1e-5))), gamma), beta);
}

/** Squeeze-excitation with weights stored as 1x1 convs [1,1,C,E] and [1,1,E,C]. */
export function referenceSe(t: Tf, x: Tensor4D, w1: Tensor4D, b1: Tensor, w2: Tensor4D, b2: Tensor): Tensor4D {
  const [c, e] = [w1.shape[2], w1.shape[3]];
  const s = t.mean(x, [1, 2]) as Tensor2D;
  const h = t.relu(t.add(t.matMul(s, t.reshape(w1, [c, e]) as Tensor2D), b1)) as Tensor2D;
  const g = t.sigmoid(t.add(t.matMul(h, t.reshape(w2, [e, c]) as Tensor2D), b2));
  return t.mul(x, t.reshape(g, [x.shape[0], 1, 1, c]));
}
