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
import { MomentumOptimizer, type NamedVariables } from "./optimizer.js";

export interface SgdOptions {
  momentum: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export class Sgd extends MomentumOptimizer {
  readonly kind = "sgd";
  private readonly weightDecay: number;

  constructor(params: NamedVariables, opts: SgdOptions) {
    super(params, opts.momentum, opts.nesterov ?? false);
    this.weightDecay = opts.weightDecay ?? 0;
  }

  protected direction(_name: string, p: tf.Variable, g: tf.Tensor): tf.Tensor {
    return this.weightDecay === 0 ? g : tf.add(g, tf.mul(p, this.weightDecay));
  }
}
