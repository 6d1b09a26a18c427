// Squeeze-and-excitation (RegNetY): global average pool -> 1x1 conv with bias -> ReLU ->
// 1x1 conv with bias -> sigmoid -> channel-wise multiply.
//
// One custom-gradient op: autodiff of mean + broadcast multiply materialises ones(x.shape)
// and several full-size intermediates; by hand, the input gradient is two broadcast ops:
//   dx = dy·e + (ds / (H·W)), with ds the gradient reaching the pooled vector.
import { customOp } from "./custom-grad.js";
import type { Tensor1D, Tensor2D, Tensor4D, Tf } from "./tf.js";

export interface SqueezeExciteParams {
  /** [1, 1, C, E] (a 1x1 conv, HWIO). */
  readonly w1: Tensor4D;
  readonly b1: Tensor1D;
  /** [1, 1, E, C]. */
  readonly w2: Tensor4D;
  readonly b2: Tensor1D;
}

export function squeezeExcite(tf: Tf, x: Tensor4D, p: SqueezeExciteParams): Tensor4D {
  const [n, h, w, c] = x.shape;
  const e = p.w1.shape[3];
  if (p.w1.shape[2] !== c || p.w2.shape[2] !== e || p.w2.shape[3] !== c) {
    throw new Error(`squeezeExcite: ${c} channels, parameters [${p.w1.shape.join(",")}] and [${p.w2.shape.join(",")}]`);
  }
  const hw = h * w;
  return customOp<[Tensor4D, Tensor4D, Tensor1D, Tensor4D, Tensor1D], Tensor4D>(tf, ([xs, w1, b1, w2, b2], save) => {
    const w1m = tf.reshape(w1, [c, e]) as Tensor2D;
    const w2m = tf.reshape(w2, [e, c]) as Tensor2D;
    const s = tf.mean(xs, [1, 2]) as Tensor2D; // [N, C]
    const hidden = tf.relu(tf.add(tf.matMul(s, w1m), b1)) as Tensor2D; // [N, E]
    const gate = tf.sigmoid(tf.add(tf.matMul(hidden, w2m), b2)) as Tensor2D; // [N, C]
    const gate4 = tf.reshape(gate, [n, 1, 1, c]) as Tensor4D;
    save([xs, s, hidden, gate, w1m, w2m]);
    return {
      value: tf.mul(xs, gate4),
      gradFunc: (dy, saved) => {
        const [sx, ss, sh, sg, sw1, sw2] = saved as [Tensor4D, Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor2D];
        const dGate = tf.sum(tf.mul(dy, sx), [1, 2]) as Tensor2D; // [N, C]
        const dz2 = tf.mul(dGate, tf.mul(sg, tf.sub(1, sg))) as Tensor2D;
        const dw2 = tf.matMul(tf.transpose(sh), dz2);
        const db2 = tf.sum(dz2, 0);
        const dz1 = tf.mul(tf.matMul(dz2, tf.transpose(sw2)), tf.step(sh)) as Tensor2D;
        const dw1 = tf.matMul(tf.transpose(ss), dz1);
        const db1 = tf.sum(dz1, 0);
        const ds = tf.matMul(dz1, tf.transpose(sw1)); // [N, C]
        const dx = tf.add(tf.mul(dy, tf.reshape(sg, [n, 1, 1, c])), tf.reshape(tf.div(ds, hw), [n, 1, 1, c]));
        return [dx, tf.reshape(dw1, [1, 1, c, e]), db1, tf.reshape(dw2, [1, 1, e, c]), db2];
      },
    };
  })(x, p.w1, p.b1, p.w2, p.b2);
}
