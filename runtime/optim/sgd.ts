/**
 * SGD with momentum, optional Nesterov and L2 weight decay, with PyTorch's semantics
 * (dampening 0):
 *
 *   d   = g + wd·w
 *   buf = momentum·buf + d          (buf starts at 0, so the first step gives buf = d)
 *   d'  = nesterov ? d + momentum·buf : buf
 *   w   = w − lr·d'
 */
import * as tf from "@tensorflow/tfjs";
import { MomentumBuffers, paramFor, type NamedTensors, type NamedVariables, type Optimizer, type OptimizerState } from "./optimizer.js";

export interface SgdOptions {
  momentum: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/**
 * One momentum update of `p` with the (already decayed/scaled) direction `d`; shared with LARS.
 * Must run inside a tidy.
 */
export function momentumUpdate(p: tf.Variable, buf: tf.Variable, d: tf.Tensor, lr: number, momentum: number, nesterov: boolean): void {
  const newBuf = tf.add(tf.mul(buf, momentum), d);
  const step = nesterov ? tf.add(d, tf.mul(newBuf, momentum)) : newBuf;
  buf.assign(newBuf);
  p.assign(tf.sub(p, tf.mul(step, lr)));
}

export class Sgd implements Optimizer {
  readonly kind = "sgd";
  private readonly buffers: MomentumBuffers;
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;

  constructor(private readonly params: NamedVariables, opts: SgdOptions) {
    this.momentum = opts.momentum;
    this.nesterov = opts.nesterov ?? false;
    this.weightDecay = opts.weightDecay ?? 0;
    if (this.nesterov && this.momentum <= 0) throw new Error("Nesterov momentum needs momentum > 0.");
    this.buffers = new MomentumBuffers(params);
  }

  apply(grads: NamedTensors, lr: number): void {
    for (const [name, g] of grads) {
      const p = paramFor(this.params, name);
      const buf = this.buffers.get(name);
      tf.tidy(() => {
        const d = this.weightDecay === 0 ? g : tf.add(g, tf.mul(p, this.weightDecay));
        momentumUpdate(p, buf, d, lr, this.momentum, this.nesterov);
      });
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
