// Global average pooling NHWC -> [N, C], differentiable. A full-window AvgPool is ~10x faster
// than Mean over [1, 2] on wasm; the gradient spreads dy / (H·W) back with a Tile.
import { customOp } from "./custom-grad.js";
import type { Tensor2D, Tensor4D, Tf } from "./tf.js";

export function globalAvgPool(tf: Tf, x: Tensor4D): Tensor2D {
  const [n, h, w, c] = x.shape;
  return customOp<[Tensor4D], Tensor2D>(tf, ([xs]) => ({
    value: tf.reshape(tf.avgPool(xs, [h, w], 1, "valid"), [n, c]),
    gradFunc: (dy) => [tf.tile(tf.reshape(tf.div(dy, h * w), [n, 1, 1, c]), [1, h, w, 1])],
  }))(x);
}
