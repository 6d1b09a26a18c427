/**
 * The SwAV head: projection MLP, L2 normalisation, and the prototypes C, a bias-free K×D matrix
 * whose rows are kept at unit L2 norm.
 *
 * When the prototypes are normalised: once at creation and then after every optimiser update
 * (`normalizePrototypes`, called by the training step; VISSL's NormalizePrototypesHook does the
 * same in `on_update`). swav normalises at the start of each iteration instead; both give the
 * forward pass unit-norm prototypes every step, so the scores z·Cᵀ are cosine similarities.
 */
import * as tf from "@tensorflow/tfjs";
import { seededUniform } from "./init.js";
import { ProjectionMlp } from "./mlp.js";
import { l2Normalize } from "./ops.js";

/** The name of the prototype matrix among the head's parameters. */
export const PROTOTYPES = "prototypes.weight";

export interface HeadOptions {
  /** Width of the trunk's pooled features. */
  inputDim: number;
  /** Output widths of the head's linear layers; the last is the embedding size D. */
  dims: readonly number[];
  batchNorm: boolean;
  /** Number of prototypes K. */
  prototypes: number;
  seed: number;
}

export class SwavHead {
  readonly mlp: ProjectionMlp;
  /** The prototypes [K, D], unit rows. */
  readonly prototypes: tf.Variable<tf.Rank.R2>;
  readonly embeddingDim: number;

  constructor(opts: HeadOptions) {
    const d = opts.dims[opts.dims.length - 1];
    if (d === undefined || !(opts.prototypes >= 1)) throw new Error("A SwAV head needs at least one layer and one prototype.");
    this.embeddingDim = d;
    this.mlp = new ProjectionMlp({ inputDim: opts.inputDim, dims: opts.dims, batchNorm: opts.batchNorm, seed: opts.seed, prefix: "head" });
    const init = seededUniform(opts.seed, PROTOTYPES, opts.prototypes * d, 1 / Math.sqrt(d));
    this.prototypes = tf.tidy(() => tf.variable(l2Normalize(tf.tensor2d(init, [opts.prototypes, d])), true));
  }

  /** All trainable parameters by name (MLP and prototypes). */
  get params(): ReadonlyMap<string, tf.Variable> {
    return new Map<string, tf.Variable>([...this.mlp.params, [PROTOTYPES, this.prototypes]]);
  }

  /** Non-trainable state (BN running statistics). */
  get buffers(): ReadonlyMap<string, tf.Variable> {
    return this.mlp.buffers;
  }

  /** Pooled trunk features [N, inputDim] → L2-normalised embeddings z [N, D]. */
  embed(features: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.mlp.forward(features, training)));
  }

  /** Cosine scores z·Cᵀ [N, K] of embeddings against the prototypes. */
  scores(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(z, tf.transpose(this.prototypes)));
  }

  /** Rescales every prototype to unit L2 norm (no gradient; call after each optimiser update). */
  normalizePrototypes(): void {
    tf.tidy(() => this.prototypes.assign(l2Normalize(this.prototypes)));
  }

  dispose(): void {
    this.mlp.dispose();
    this.prototypes.dispose();
  }
}
