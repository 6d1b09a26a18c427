/**
 * The linear probe of VISSL's `eval_mlp`: BatchNorm (affine, running statistics; the network's
 * BN, runtime/tfjs/batchnorm.ts) then a
 * linear classifier, trained on frozen features with SGD (momentum, optional Nesterov,
 * weight decay) under a learning-rate schedule; softmax cross-entropy.
 */
import * as tf from "@tensorflow/tfjs";
import { derive } from "../data/rng.js";
import { Sgd } from "../optim/sgd.js";
import { batchNorm, type BatchNormParams } from "../tfjs/batchnorm.js";
import { scheduleFromRecipe, type ScheduleSpec } from "../optim/schedule.js";
import type { Rate } from "../optim/duration.js";
import { mm } from "../ssl/ops.js";
import { seededUniform } from "../ssl/init.js";
import type { FeatureMatrix } from "./extract.js";
import type { Scores } from "./metrics.js";

export interface ProbeConfig {
  classes: number;
  /** Epochs over the training features. */
  epochs: number;
  batch: number;
  optimizer: { lr: Rate | number; momentum: number; nesterov: boolean; weight_decay: number };
  schedule: ScheduleSpec;
  seed: number;
}

export class LinearProbe {
  readonly params = new Map<string, tf.Variable>();
  private readonly bn: BatchNormParams;

  constructor(
    readonly dim: number,
    readonly classes: number,
    seed: number,
  ) {
    const v = (name: string, data: Float32Array, shape: number[], trainable = true) => {
      const x = tf.tidy(() => tf.variable(tf.tensor(data, shape, "float32"), trainable));
      if (trainable) this.params.set(name, x);
      return x;
    };
    const r1 = (x: tf.Variable) => x as tf.Variable<tf.Rank.R1>;
    this.bn = {
      gamma: r1(v("probe.bn.weight", new Float32Array(dim).fill(1), [dim])),
      beta: r1(v("probe.bn.bias", new Float32Array(dim), [dim])),
      runningMean: r1(v("probe.bn.running_mean", new Float32Array(dim), [dim], false)),
      runningVar: r1(v("probe.bn.running_var", new Float32Array(dim).fill(1), [dim], false)),
    };
    const bound = 1 / Math.sqrt(dim);
    v("probe.fc.weight", seededUniform(seed, "probe.fc.weight", dim * classes, bound), [dim, classes]);
    v("probe.fc.bias", new Float32Array(classes), [classes]);
  }

  private p(name: string): tf.Variable {
    return this.params.get(name)!;
  }

  logits(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const h = batchNorm(tf, x, this.bn, { training });
      return tf.add(mm(h, this.p("probe.fc.weight") as tf.Tensor2D), this.p("probe.fc.bias"));
    });
  }

  /** Trains in place; returns the mean loss of each epoch. */
  train(features: FeatureMatrix, labels: ArrayLike<number>, cfg: ProbeConfig): number[] {
    const n = features.n;
    const batch = Math.min(cfg.batch, n);
    const stepsPerEpoch = Math.max(1, Math.floor(n / batch));
    const totalSteps = stepsPerEpoch * cfg.epochs;
    const lr = scheduleFromRecipe(cfg.schedule, cfg.optimizer.lr, { stepsPerEpoch, batch, totalSteps });
    const sgd = new Sgd(this.params, { momentum: cfg.optimizer.momentum, nesterov: cfg.optimizer.nesterov, weightDecay: cfg.optimizer.weight_decay });
    const losses: number[] = [];
    const named = [...this.params];
    const vars = named.map(([, v]) => v);
    let step = 0;
    try {
      for (let epoch = 0; epoch < cfg.epochs; epoch++) {
        const order = permutation(n, cfg.seed, epoch);
        let sum = 0;
        for (let s = 0; s < stepsPerEpoch; s++) {
          const { xb, yb } = miniBatch(features, labels, cfg.classes, order.subarray(s * batch, (s + 1) * batch));
          const { value, grads } = tf.variableGrads(() => crossEntropy(this.logits(xb, true), yb), vars);
          sgd.apply(new Map(named.map(([name, v]) => [name, grads[v.name]!])), lr(step));
          const loss = (value.dataSync() as Float32Array)[0]!;
          tf.dispose([xb, yb, value, ...Object.values(grads)]);
          if (!Number.isFinite(loss)) throw new ProbeDivergedError(`the linear probe diverged at epoch ${epoch + 1} (loss ${loss}); lower its learning rate`);
          sum += loss;
          step++;
        }
        losses.push(sum / stepsPerEpoch);
      }
    } finally {
      sgd.dispose();
    }
    return losses;
  }

  /** Scores [n, classes] in eval mode. */
  predict(features: FeatureMatrix): Scores {
    const out = tf.tidy(() => this.logits(tf.tensor2d(features.data, [features.n, features.dim]), false));
    const data = Float32Array.from(out.dataSync() as Float32Array);
    out.dispose();
    return { data, n: features.n, classes: this.classes };
  }

  dispose(): void {
    for (const v of [...this.params.values(), this.bn.runningMean, this.bn.runningVar]) v.dispose();
  }
}

/** Training produced a non-finite loss: the probe's numbers would be meaningless. */
export class ProbeDivergedError extends Error {
  override readonly name = "ProbeDivergedError";
}

function crossEntropy(logits: tf.Tensor2D, onehot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(onehot, logits), 1))) as tf.Scalar);
}

/**
 * The rows `idx` of the features and their one-hot labels, gathered in JS: a tfjs gather of
 * 256 rows costs about 0.7 ms on wasm, a third of a probe step.
 */
function miniBatch(features: FeatureMatrix, labels: ArrayLike<number>, classes: number, idx: Int32Array): { xb: tf.Tensor2D; yb: tf.Tensor2D } {
  const { dim, data } = features;
  const x = new Float32Array(idx.length * dim);
  const y = new Float32Array(idx.length * classes);
  idx.forEach((row, r) => {
    x.set(data.subarray(row * dim, (row + 1) * dim), r * dim);
    const label = labels[row]!;
    if (label >= 0 && label < classes) y[r * classes + label] = 1;
  });
  return { xb: tf.tensor2d(x, [idx.length, dim]), yb: tf.tensor2d(y, [idx.length, classes]) };
}

/** Stream key of the probe's data order (kept apart from the loader's streams). */
const SALT_PROBE_ORDER = 0x70726f62;

/** The probe's data order for an epoch: a seeded permutation of 0..n-1. */
export function permutation(n: number, seed: number, epoch: number): Int32Array {
  return Int32Array.from(derive(seed, SALT_PROBE_ORDER, epoch).permutation(n));
}
