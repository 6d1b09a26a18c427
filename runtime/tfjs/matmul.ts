// Matrix products whose gradients use explicit transposes.
//
// On the wasm backend tf.matMul(a, b, transposeA, transposeB) is about 10x slower than an
// explicit tf.transpose followed by a plain matMul, and tfjs's built-in MatMul/BatchMatMul
// gradient uses those flags (tfjs-runtime.md §8 item 4). Dense layers therefore go through
// `matMul` here.
import { customOp } from "./custom-grad.js";
import type { Tensor2D, Tensor3D, Tf } from "./tf.js";

/** Swaps the last two axes (rank 2 or 3). */
export function transposeLast2<T extends Tensor2D | Tensor3D>(tf: Tf, t: T): T {
  return (t.rank === 2 ? tf.transpose(t) : tf.transpose(t, [0, 2, 1])) as T;
}

/** a·b for [m,k]·[k,n] or batched [b,m,k]·[b,k,n], differentiable with explicit transposes. */
export function matMul<T extends Tensor2D | Tensor3D>(tf: Tf, a: T, b: T): T {
  return customOp<[T, T], T>(tf, ([x, y], save) => {
    save([x, y]);
    return {
      value: tf.matMul(x, y) as T,
      gradFunc: (dy, saved) => {
        const [sx, sy] = saved as [T, T];
        return [tf.matMul(dy, transposeLast2(tf, sy)), tf.matMul(transposeLast2(tf, sx), dy)];
      },
    };
  })(a, b);
}
