// A typed wrapper around tf.customGrad. tfjs types the forward function as taking
// `(Tensor | GradSaveFunc)[]`, which makes every call site cast; this does the cast once.
//
// Ops run inside the forward function are not recorded on the gradient tape: the gradient is
// exactly what `gradFunc` returns, one tensor per input, in order.
import type { Tensor, Tf } from "./tf.js";

export type SaveFn = (tensors: Tensor[]) => void;

export interface CustomResult<O extends Tensor> {
  readonly value: O;
  readonly gradFunc: (dy: O, saved: Tensor[]) => Tensor[];
}

export function customOp<I extends Tensor[], O extends Tensor>(
  tf: Tf,
  f: (inputs: I, save: SaveFn) => CustomResult<O>,
): (...inputs: I) => O {
  const op = tf.customGrad((...args) => {
    const save = args[args.length - 1] as SaveFn;
    const r = f(args.slice(0, -1) as I, save);
    return { value: r.value, gradFunc: (dy: Tensor, saved: Tensor[]) => r.gradFunc(dy as O, saved) };
  });
  return (...inputs: I) => op(...inputs) as O;
}
