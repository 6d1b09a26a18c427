/**
 * The SwAV projection MLP: Linear → [BN1d] → ReLU → … → Linear. Every hidden layer is followed
 * by BatchNorm (when `batchNorm`) and a ReLU; the last Linear has neither (VISSL's
 * `skip_last_bn`). Without BN the ReLUs stay (VISSL `use_bn: False`, the SEER ≥ 64GF heads).
 *
 * Linear layers start as PyTorch's nn.Linear (weight and bias uniform in ±1/√fan_in); BN as
 * nn.BatchNorm1d (γ = 1, β = 0, eps 1e-5, momentum 0.1, running variance unbiased; the
 * network's BN, runtime/tfjs/batchnorm.ts). Weights
 * are stored [in, out] so that the forward is x·W.
 */
import * as tf from "@tensorflow/tfjs";
import { seededUniform } from "./init.js";
import { batchNorm, type BatchNormParams } from "../tfjs/batchnorm.js";
import { mm } from "./ops.js";

export interface MlpOptions {
  /** Width of the trunk's pooled features. */
  inputDim: number;
  /** Output widths of the linear layers; the last is the embedding size D. */
  dims: readonly number[];
  batchNorm: boolean;
  seed: number;
  /** Name prefix of the parameters. Default "head". */
  prefix?: string;
}


interface Layer {
  weight: tf.Variable;
  bias: tf.Variable;
  bn: BatchNormParams | null;
}

export class ProjectionMlp {
  /** Trainable parameters by name: `<prefix>.linear<i>.weight|bias`, `<prefix>.bn<i>.weight|bias`. */
  readonly params = new Map<string, tf.Variable>();
  /** BN running statistics: `<prefix>.bn<i>.running_mean|running_var`. */
  readonly buffers = new Map<string, tf.Variable>();
  private readonly layers: Layer[] = [];

  constructor(opts: MlpOptions) {
    if (opts.dims.length === 0 || !(opts.inputDim >= 1)) throw new Error("A projection head needs an input width and at least one layer.");
    const prefix = opts.prefix ?? "head";
    let fanIn = opts.inputDim;
    opts.dims.forEach((out, i) => {
      const last = i === opts.dims.length - 1;
      const bound = 1 / Math.sqrt(fanIn);
      const weight = this.param(`${prefix}.linear${i}.weight`, seededUniform(opts.seed, `${prefix}.linear${i}.weight`, fanIn * out, bound), [fanIn, out]);
      const bias = this.param(`${prefix}.linear${i}.bias`, seededUniform(opts.seed, `${prefix}.linear${i}.bias`, out, bound), [out]);
      const bn =
        !last && opts.batchNorm
          ? {
              gamma: this.param(`${prefix}.bn${i}.weight`, new Float32Array(out).fill(1), [out]) as tf.Variable<tf.Rank.R1>,
              beta: this.param(`${prefix}.bn${i}.bias`, new Float32Array(out), [out]) as tf.Variable<tf.Rank.R1>,
              runningMean: this.buffer(`${prefix}.bn${i}.running_mean`, new Float32Array(out), [out]) as tf.Variable<tf.Rank.R1>,
              runningVar: this.buffer(`${prefix}.bn${i}.running_var`, new Float32Array(out).fill(1), [out]) as tf.Variable<tf.Rank.R1>,
            }
          : null;
      this.layers.push({ weight, bias, bn });
      fanIn = out;
    });
  }

  /** Features [N, inputDim] → projections [N, D]. In training BN uses batch statistics and updates its running ones. */
  forward(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      let h = x;
      this.layers.forEach((layer, i) => {
        h = tf.add(mm(h, layer.weight as tf.Tensor2D), layer.bias);
        if (i === this.layers.length - 1) return;
        if (layer.bn) h = batchNorm(tf, h, layer.bn, { training });
        h = tf.relu(h);
      });
      return h;
    });
  }

  dispose(): void {
    for (const v of [...this.params.values(), ...this.buffers.values()]) v.dispose();
  }

  private param(name: string, data: Float32Array, shape: number[]): tf.Variable {
    const v = tf.tidy(() => tf.variable(tf.tensor(data, shape, "float32"), true));
    this.params.set(name, v);
    return v;
  }

  private buffer(name: string, data: Float32Array, shape: number[]): tf.Variable {
    const v = tf.tidy(() => tf.variable(tf.tensor(data, shape, "float32"), false));
    this.buffers.set(name, v);
    return v;
  }
}
