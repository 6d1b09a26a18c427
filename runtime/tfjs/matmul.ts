// Matrix products tuned for the wasm backend.
//
// tfjs-wasm hands a plain a·b to XNNPACK's fully-connected operator, which first packs b (with a
// transpose) — but any transposeA/transposeB flag sends it to a slow generic loop, ~10x slower
// (tfjs-runtime.md §8 item 4; tfjs's own MatMul gradient uses the flags). So transposes are
// explicit, and `product` picks the orientation: when a has few rows, packing b dominates and
// (bᵀ·aᵀ)ᵀ, which packs the small aᵀ instead, is faster (measured: 4·M ≤ K + N).
import { customOp } from "./custom-grad.js";
import type { Tensor2D, Tensor3D, Tf } from "./tf.js";

/** Swaps the last two axes (rank 2 or 3). */
export function transposeLast2<T extends Tensor2D | Tensor3D>(tf: Tf, t: T): T {
  return (t.rank === 2 ? tf.transpose(t) : tf.transpose(t, [0, 2, 1])) as T;
}

/** op(a)·op(b), op = transpose where the flag says so; never passes a transpose flag to tfjs. */
export function product(tf: Tf, a: Tensor2D, transposeA: boolean, b: Tensor2D, transposeB: boolean): Tensor2D {
  const m = transposeA ? a.shape[1] : a.shape[0];
  const k = transposeA ? a.shape[0] : a.shape[1];
  const n = transposeB ? b.shape[0] : b.shape[1];
  if (4 * m <= k + n) {
    // (op(b)ᵀ · op(a)ᵀ)ᵀ: op(b)ᵀ is b itself when transposeB, and likewise for a.
    const bt = transposeB ? b : tf.transpose(b);
    const at = transposeA ? a : tf.transpose(a);
    return tf.transpose(tf.matMul(bt, at)) as Tensor2D;
  }
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/** a·b for [m,k]·[k,n] or batched [b,m,k]·[b,k,n], differentiable, flag-free in both passes. */
export function matMul<T extends Tensor2D | Tensor3D>(tf: Tf, a: T, b: T): T {
  return customOp<[T, T], T>(tf, ([x, y], save) => {
    save([x, y]);
    if (x.rank === 2) {
      const x2 = x as Tensor2D;
      const y2 = y as Tensor2D;
      return {
        value: product(tf, x2, false, y2, false) as T,
        gradFunc: (dy, saved) => {
          const [sx, sy] = saved as [Tensor2D, Tensor2D];
          const d = dy as Tensor2D;
          return [product(tf, d, false, sy, true), product(tf, sx, true, d, false)];
        },
      };
    }
    return {
      value: tf.matMul(x, y) as T,
      gradFunc: (dy, saved) => {
        const [sx, sy] = saved as [T, T];
        return [tf.matMul(dy, transposeLast2(tf, sy)), tf.matMul(transposeLast2(tf, sx), dy)];
      },
    };
  })(a, b);
}
