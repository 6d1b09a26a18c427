// 2-D convolution (NHWC input, HWIO filter) that trains on every backend, wasm included.
//
// wasm has no Conv2DBackpropFilter kernel and its Conv2DBackpropInput is ~10x slower than a
// forward Conv2D, so the gradient is written by hand (tfjs-runtime.md §4), using only forward
// Conv2D, matMul, transpose, pad/reshape/slice:
//   dW (k x k): a forward conv of x^T [Ci,H,W,N] with dy^T [Ho,Wo,N,Co] as the filter, dilated by
//               the stride; the padding is folded into the conv's explicit padding.
//   dW (1 x 1): one matMul with explicit transposes.
//   dx:         zero-insert dy (stride), then a forward conv with the 180°-rotated, in/out-swapped
//               filter, padded so the result has exactly the input's size.
// Padding follows PyTorch: `pad` zeros on every side, output floor((H + 2p - k)/s) + 1, which
// for a 3x3 kernel with pad 1 is ceil(H/s) (unlike TF 'SAME', which pads stride-2 convs of even
// inputs only at the bottom/right).
import { customOp } from "./custom-grad.js";
import { matMul, product } from "./matmul.js";
import type { Tensor, Tensor2D, Tensor4D, Tf } from "./tf.js";

export interface ConvOptions {
  /** Stride in both spatial directions. */
  readonly stride: number;
  /** Zeros added on every side (PyTorch's `padding`). */
  readonly pad: number;
  /** Compute the gradient with respect to the input (default true). The stem does not need it. */
  readonly inputGrad?: boolean;
}

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

/** PyTorch's output size. */
export function convOutSize(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}

function check(x: Tensor4D, w: Tensor4D, o: ConvOptions): void {
  const [kh, kw, ci] = w.shape;
  if (x.shape[3] !== ci) throw new Error(`conv2d: input has ${x.shape[3]} channels, filter expects ${ci}`);
  if (!Number.isInteger(o.stride) || o.stride < 1) throw new Error(`conv2d: bad stride ${o.stride}`);
  if (!Number.isInteger(o.pad) || o.pad < 0 || o.pad > kh - 1 || o.pad > kw - 1) {
    throw new Error(`conv2d: pad ${o.pad} not supported for a ${kh}x${kw} kernel`);
  }
  if (convOutSize(x.shape[1], kh, o.stride, o.pad) < 1 || convOutSize(x.shape[2], kw, o.stride, o.pad) < 1) {
    throw new Error(`conv2d: ${x.shape[1]}x${x.shape[2]} input too small for a ${kh}x${kw} kernel`);
  }
}

/**
 * Convolution with PyTorch padding and a wasm-friendly custom gradient.
 * x: [N,H,W,Ci], w: [kh,kw,Ci,Co] -> [N,Ho,Wo,Co].
 */
export function conv2d(tf: Tf, x: Tensor4D, w: Tensor4D, o: ConvOptions): Tensor4D {
  check(x, w, o);
  const [kh, kw] = w.shape;
  if (kh === 1 && kw === 1 && o.pad === 0) {
    return o.stride === 1 ? pointwise(tf, x, w) : pointwiseStrided(tf, x, w, o.stride, o.inputGrad ?? true);
  }
  const grads = (dy: Tensor4D, xs: Tensor4D, ws: Tensor4D): Tensor[] => [inputGrad(tf, dy, ws, xs.shape, o), filterGrad(tf, xs, dy, ws.shape, o)];
  const forward = (xs: Tensor4D, ws: Tensor4D): Tensor4D => tf.conv2d(xs, ws, o.stride, symmetric(o.pad));
  if (o.inputGrad ?? true) {
    return customOp<[Tensor4D, Tensor4D], Tensor4D>(tf, ([xs, ws], save) => {
      save([xs, ws]);
      return { value: forward(xs, ws), gradFunc: (dy, [sx, sw]) => grads(dy, sx as Tensor4D, sw as Tensor4D) };
    })(x, w);
  }
  // x is closed over, not an input: no gradient is computed for it at all.
  return customOp<[Tensor4D], Tensor4D>(tf, ([ws], save) => {
    save([x, ws]);
    return { value: forward(x, ws), gradFunc: (dy, [sx, sw]) => [filterGrad(tf, sx as Tensor4D, dy, (sw as Tensor4D).shape, o)] };
  })(w);
}

function symmetric(p: number): Pad4 {
  return [[0, 0], [p, p], [p, p], [0, 0]];
}

/** 1x1 stride 1: a matMul over [N*H*W, Ci]. */
function pointwise(tf: Tf, x: Tensor4D, w: Tensor4D): Tensor4D {
  const [n, h, wd, ci] = x.shape;
  const co = w.shape[3];
  const y = matMul(tf, tf.reshape(x, [n * h * wd, ci]) as Tensor2D, tf.reshape(w, [ci, co]) as Tensor2D);
  return tf.reshape(y, [n, h, wd, co]);
}

/**
 * 1x1 with stride > 1 (projection shortcuts): reads x[:, ::s, ::s, :]. The backward pass
 * subsamples x with a 1x1 average pool (wasm's StridedSlice is 50x slower).
 */
function pointwiseStrided(tf: Tf, x: Tensor4D, w: Tensor4D, s: number, needDx: boolean): Tensor4D {
  const [n, h, wd, ci] = x.shape;
  const co = w.shape[3];
  return customOp<[Tensor4D, Tensor4D], Tensor4D>(tf, ([xs, ws], save) => {
    save([xs, ws]);
    return {
      value: tf.conv2d(xs, ws, s, "valid"),
      gradFunc: (dy, saved) => {
        const [sx, sw] = saved as [Tensor4D, Tensor4D];
        const [, ho, wo] = dy.shape;
        const sub = tf.reshape(tf.avgPool(sx, 1, s, "valid"), [n * ho * wo, ci]) as Tensor2D;
        const d2 = tf.reshape(dy, [n * ho * wo, co]) as Tensor2D;
        const dw = tf.reshape(product(tf, sub, true, d2, false), [1, 1, ci, co]);
        const w2 = tf.reshape(sw, [ci, co]) as Tensor2D;
        const dx = needDx ? zeroInsert(tf, tf.reshape(product(tf, d2, false, w2, true), [n, ho, wo, ci]), s, h, wd) : tf.zerosLike(sx);
        return [dx, dw];
      },
    };
  })(x, w);
}

/**
 * Spreads t [N,Ho,Wo,C] to [N,h,w,C] with t[i,j] at (i*s, j*s) and zeros elsewhere
 * (rank-6 pad + reshape; cropped or zero-extended to exactly h x w).
 */
export function zeroInsert(tf: Tf, t: Tensor4D, s: number, h: number, w: number): Tensor4D {
  return fitTo(tf, dilate(tf, t, s), h, w);
}

/** [N,H,W,C] -> [N,H*s,W*s,C] with t[i,j] at (i*s, j*s), zeros elsewhere. */
function dilate(tf: Tf, t: Tensor4D, s: number): Tensor4D {
  if (s === 1) return t;
  const [n, h, w, c] = t.shape;
  const padded = tf.pad(tf.reshape(t, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, s - 1], [0, 0], [0, s - 1], [0, 0]]);
  return tf.reshape(padded, [n, h * s, w * s, c]);
}

/** Crops or zero-extends (at the bottom/right) to h x w. */
function fitTo(tf: Tf, t: Tensor4D, h: number, w: number): Tensor4D {
  const [n, th, tw, c] = t.shape;
  if (th > h || tw > w) t = tf.slice(t, [0, 0, 0, 0], [n, Math.min(h, th), Math.min(w, tw), c]);
  const [, h2, w2] = t.shape;
  if (h2 < h || w2 < w) t = tf.pad(t, [[0, 0], [0, h - h2], [0, w - w2], [0, 0]]);
  return t;
}

/** dL/dW of the padded, strided conv, using only a forward Conv2D. */
function filterGrad(tf: Tf, x: Tensor4D, dy: Tensor4D, wShape: readonly number[], o: ConvOptions): Tensor4D {
  const [kh = 1, kw = 1] = wShape;
  const [n, h, w, ci] = x.shape;
  const [, ho, wo] = dy.shape;
  const s = o.stride;
  const p = o.pad;
  // Rows read by the conv: -p .. (ho-1)s + kh - 1 - p. Pad the top by p; the bottom by what is
  // still missing, or crop x where the conv never reads it.
  let bottom = (ho - 1) * s + kh - h - p;
  let right = (wo - 1) * s + kw - w - p;
  let xc = x;
  if (bottom < 0 || right < 0) {
    xc = tf.slice(x, [0, 0, 0, 0], [n, h + Math.min(bottom, 0), w + Math.min(right, 0), ci]);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const xT = tf.transpose(xc, [3, 1, 2, 0]); // [Ci, H, W, N]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
  const pad: Pad4 = [[0, 0], [p, bottom], [p, right], [0, 0]];
  const r = tf.conv2d(xT, dyT, 1, pad, "NHWC", [s, s]); // [Ci, kh, kw, Co]
  return tf.transpose(r, [1, 2, 0, 3]);
}

/** dL/dx via a forward conv of the zero-inserted dy with the rotated, in/out-swapped filter. */
function inputGrad(tf: Tf, dy: Tensor4D, w: Tensor4D, xShape: readonly number[], o: ConvOptions): Tensor4D {
  const [kh, kw] = w.shape;
  const [, h = 0, wd = 0] = xShape;
  const s = o.stride;
  let d = dilate(tf, dy, s);
  // Output row i gathers dy rows y with y*s + r - p = i: correlate with top padding k-1-p and
  // enough bottom padding for exactly h rows (crop d if it is already longer than needed).
  const top = kh - 1 - o.pad;
  const left = kw - 1 - o.pad;
  let bottom = h + kh - 1 - d.shape[1] - top;
  let right = wd + kw - 1 - d.shape[2] - left;
  if (bottom < 0 || right < 0) {
    d = tf.slice(d, [0, 0, 0, 0], [d.shape[0], d.shape[1] + Math.min(bottom, 0), d.shape[2] + Math.min(right, 0), d.shape[3]]);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  return tf.conv2d(d, rotatedFilter(tf, w), 1, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

const reversals = new Map<number, Float32Array>();

/**
 * w [kh,kw,Ci,Co] rotated by 180° with in/out channels swapped: [kh,kw,Co,Ci]. The tap order is
 * reversed with a permutation matMul: exact, and far faster than wasm's Reverse kernel (10 ms
 * for a 3x3x152x152 filter).
 */
function rotatedFilter(tf: Tf, w: Tensor4D): Tensor4D {
  const [kh, kw, ci, co] = w.shape;
  const t = kh * kw;
  let p = reversals.get(t);
  if (p === undefined) {
    p = new Float32Array(t * t);
    for (let i = 0; i < t; i++) p[i * t + (t - 1 - i)] = 1;
    reversals.set(t, p);
  }
  const swapped = tf.reshape(tf.transpose(w, [0, 1, 3, 2]), [t, co * ci]) as Tensor2D;
  return tf.reshape(tf.matMul(tf.tensor2d(p, [t, t]), swapped), [kh, kw, co, ci]);
}
