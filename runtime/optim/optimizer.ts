/**
 * The optimiser contract shared by SGD and LARS, and the momentum buffers both keep.
 *
 * Parameters and gradients are addressed by logical names ("head.linear0.weight"), never by
 * TensorFlow.js variable names, so the state can be written to a checkpoint and read back
 * into freshly created variables.
 */
import * as tf from "@tensorflow/tfjs";

export type NamedVariables = ReadonlyMap<string, tf.Variable>;
export type NamedTensors = ReadonlyMap<string, tf.Tensor>;

/** Optimiser state as plain data: one Float32Array per momentum buffer, keyed by parameter name. */
export type OptimizerState = Record<string, Float32Array>;

export interface Optimizer {
  readonly kind: "sgd" | "lars";
  /**
   * One update, in place, with learning rate `lr`. Only parameters present in `grads` are
   * touched (a parameter without a gradient keeps its value and its momentum buffer, like a
   * PyTorch parameter whose `.grad` is None).
   */
  apply(grads: NamedTensors, lr: number): void;
  /** Copies of the momentum buffers (bit-exact). */
  exportState(): OptimizerState;
  /** Restores buffers written by `exportState`; names and sizes must match. */
  importState(state: OptimizerState): void;
  dispose(): void;
}

/** Zero-initialised momentum buffers, one per parameter, created eagerly so the tensor count never changes. */
export class MomentumBuffers {
  private readonly buffers = new Map<string, tf.Variable>();

  constructor(params: NamedVariables) {
    for (const [name, p] of params) {
      this.buffers.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
  }

  get(name: string): tf.Variable {
    const b = this.buffers.get(name);
    if (!b) throw new Error(`No momentum buffer for parameter \`${name}\`.`);
    return b;
  }

  exportState(): OptimizerState {
    const out: OptimizerState = {};
    for (const [name, b] of this.buffers) out[name] = Float32Array.from(b.dataSync() as Float32Array);
    return out;
  }

  importState(state: OptimizerState): void {
    const names = Object.keys(state);
    for (const name of names) if (!this.buffers.has(name)) throw new Error(`Optimiser state names unknown parameter \`${name}\`.`);
    for (const [name, b] of this.buffers) {
      const data = state[name];
      if (!data) throw new Error(`Optimiser state lacks the buffer of \`${name}\`.`);
      if (data.length !== b.size) throw new Error(`Optimiser state for \`${name}\` has ${data.length} values, expected ${b.size}.`);
      tf.tidy(() => b.assign(tf.tensor(data, b.shape, "float32")));
    }
  }

  dispose(): void {
    for (const b of this.buffers.values()) b.dispose();
    this.buffers.clear();
  }
}

/** The parameter a gradient belongs to, or an error naming it. */
export function paramFor(params: NamedVariables, name: string): tf.Variable {
  const p = params.get(name);
  if (!p) throw new Error(`Gradient for unknown parameter \`${name}\`.`);
  return p;
}
