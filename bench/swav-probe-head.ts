// The tfjs probe's SwAV-style head and loss, rebuilt on the runtime's ops so that
// bench/train-step.ts times the same computation as the probe's bench_train.mjs:
//   pooled [N,368] -> fc 256 (no bias) -> BN -> ReLU -> fc 128 (bias) -> L2 normalise
//   -> scores against 64 L2-normalised prototypes -> swapped prediction between the two
//   halves of the batch, Sinkhorn (3 iterations, eps 0.05, no gradient), temperature 0.1.
// Benchmark-only: the project's SwAV implementation lives elsewhere.
import { batchNormTrain } from "../runtime/tfjs/batchnorm.js";
import { customOp } from "../runtime/tfjs/custom-grad.js";
import { normalValues } from "../runtime/tfjs/init.js";
import { matMul } from "../runtime/tfjs/matmul.js";
import type { Scalar, Tensor1D, Tensor2D, Tf, Variable } from "../runtime/tfjs/tf.js";

export interface ProbeHead {
  readonly variables: Variable[];
  loss(pooled: Tensor2D): Scalar;
  dispose(): void;
}

export function buildProbeHead(tf: Tf, inWidth: number, seed: number, hidden = 256, out = 128, prototypes = 64): ProbeHead {
  const v = (name: string, shape: [number, number], std: number): Variable =>
    tf.tidy(() => tf.variable(tf.tensor2d(normalValues(shape[0] * shape[1], std, seed, name), shape)));
  const filled = (n: number, x: number): Variable => tf.tidy(() => tf.variable(tf.fill([n], x)));
  const w1 = v("proj.0.weight", [inWidth, hidden], Math.sqrt(2 / inWidth));
  const g1 = filled(hidden, 1);
  const b1 = filled(hidden, 0);
  const w2 = v("proj.3.weight", [hidden, out], Math.sqrt(1 / hidden));
  const b2 = filled(out, 0);
  const protos = v("prototypes.weight", [out, prototypes], 1);
  const variables = [w1, g1, b1, w2, b2, protos];

  const stopGradient = (t: Tensor2D): Tensor2D =>
    customOp<[Tensor2D], Tensor2D>(tf, ([x]) => ({ value: tf.clone(x), gradFunc: (dy) => [tf.zerosLike(dy)] }))(t);
  const l2 = (t: Tensor2D, axis: number): Tensor2D => tf.div(t, tf.sqrt(tf.add(tf.sum(tf.square(t), axis, true), 1e-12)));
  const sinkhorn = (scores: Tensor2D): Tensor2D =>
    tf.tidy(() => {
      let q = tf.transpose(tf.exp(tf.div(scores, 0.05))) as Tensor2D; // [K, B]
      const [k, b] = q.shape;
      q = tf.div(q, tf.sum(q));
      for (let i = 0; i < 3; i++) {
        q = tf.div(tf.div(q, tf.sum(q, 1, true)), k);
        q = tf.div(tf.div(q, tf.sum(q, 0, true)), b);
      }
      return tf.transpose(tf.mul(q, b)) as Tensor2D;
    });
  const logSoftmax = (s: Tensor2D): Tensor2D => {
    const z = tf.div(s, 0.1);
    return tf.sub(z, tf.logSumExp(z, 1, true));
  };

  return {
    variables,
    loss(pooled) {
      const h = tf.relu(batchNormTrain(tf, matMul(tf, pooled, w1 as Tensor2D), g1 as Tensor1D, b1 as Tensor1D));
      const z = l2(tf.add(matMul(tf, h, w2 as Tensor2D), b2), 1);
      const scores = matMul(tf, z, l2(protos as Tensor2D, 0));
      const [s1, s2] = tf.split(scores, 2, 0) as [Tensor2D, Tensor2D];
      const q1 = sinkhorn(stopGradient(s1));
      const q2 = sinkhorn(stopGradient(s2));
      const total = tf.add(tf.sum(tf.mul(q1, logSoftmax(s2))), tf.sum(tf.mul(q2, logSoftmax(s1))));
      return tf.div(tf.neg(total), scores.shape[0]) as Scalar;
    },
    dispose() {
      for (const x of variables) x.dispose();
    },
  };
}
