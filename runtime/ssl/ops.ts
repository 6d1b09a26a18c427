/**
 * Three tensor helpers the SwAV head and loss need, written so that they train on every
 * TensorFlow.js backend, wasm included:
 *
 * - `asConstant`: tfjs has no stop-gradient. Running a computation inside `tf.customGrad`
 *   makes it one opaque tape node (its inner ops are not recorded), whose gradient is 0.
 * - `mm`: 2-D matMul whose gradient uses explicit transposes; the built-in MatMul gradient
 *   uses the transpose flags, about 10× slower on wasm.
 * - `l2Normalize`: x / max(‖x‖₂, 1e-12) per row, as torch.nn.functional.normalize (the clamp
 *   is applied to the squared norm so that an all-zero row gets a zero gradient, not NaN).
 */
import * as tf from "@tensorflow/tfjs";

/** `fn(...inputs)` as a constant for autodiff: no gradient flows to `inputs`, nothing inside is taped. */
export function asConstant<T extends tf.Tensor>(fn: (...inputs: tf.Tensor[]) => T, inputs: readonly tf.Tensor[]): T {
  const n = inputs.length;
  const node = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, n) as tf.Tensor[];
    return { value: fn(...xs), gradFunc: () => xs.map((x) => tf.zerosLike(x)) };
  });
  return node(...inputs) as T;
}

const matMulExplicit = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy2)];
    },
  };
});

/** a·b for a [m, k], b [k, n], with a wasm-friendly gradient. */
export function mm(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matMulExplicit(a, b) as tf.Tensor2D;
}

/** Each row divided by its L2 norm (rows of norm < 1e-12 are divided by 1e-12). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), 1e-24))));
}
