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

/**
 * One momentum update of `p` with the (already decayed/scaled) direction `d`, PyTorch's SGD
 * (dampening 0). Must run inside a tidy.
 */
export function momentumUpdate(p: tf.Variable, buf: tf.Variable, d: tf.Tensor, lr: number, momentum: number, nesterov: boolean): void {
  const newBuf = tf.add(tf.mul(buf, momentum), d);
  const step = nesterov ? tf.add(d, tf.mul(newBuf, momentum)) : newBuf;
  buf.assign(newBuf);
  p.assign(tf.sub(p, tf.mul(step, lr)));
}

/**
 * SGD-with-momentum optimisers (SGD, LARS): they differ only in the direction each parameter
 * moves in; buffers, the update and the state are shared.
 */
export abstract class MomentumOptimizer implements Optimizer {
  abstract readonly kind: "sgd" | "lars";
  private readonly buffers: MomentumBuffers;

  protected constructor(
    private readonly params: NamedVariables,
    private readonly momentum: number,
    private readonly nesterov: boolean,
  ) {
    if (nesterov && momentum <= 0) throw new Error("Nesterov momentum needs momentum > 0.");
    this.buffers = new MomentumBuffers(params);
  }

  /** The direction parameter `name` moves in, from its value and gradient. Runs inside a tidy. */
  protected abstract direction(name: string, p: tf.Variable, g: tf.Tensor): tf.Tensor;

  apply(grads: NamedTensors, lr: number): void {
    for (const [name, g] of grads) {
      const p = paramFor(this.params, name);
      const buf = this.buffers.get(name);
      tf.tidy(() => momentumUpdate(p, buf, this.direction(name, p, g), lr, this.momentum, this.nesterov));
    }
  }

  exportState(): OptimizerState {
    return this.buffers.exportState();
  }

  importState(state: OptimizerState): void {
    this.buffers.importState(state);
  }

  dispose(): void {
    this.buffers.dispose();
  }
}

/** The parameter a gradient belongs to, or an error naming it. */
export function paramFor(params: NamedVariables, name: string): tf.Variable {
  const p = params.get(name);
  if (!p) throw new Error(`Gradient for unknown parameter \`${name}\`.`);
  return p;
}
