/**
 * LARS as VISSL runs it: SGD with momentum wrapped in apex's LARC with `clip = False`.
 *
 * For every adapted parameter w with gradient g:
 *
 *   local = trust·‖w‖ / (‖g‖ + wd·‖w‖ + eps)        (eps = 1e-8)
 *   d     = local·(g + wd·w)
 *
 * and d goes through plain SGD momentum with the scheduled learning rate (see sgd.ts). As in
 * LARC, a parameter whose norm or gradient norm is 0 is neither scaled nor decayed (d = g).
 * Parameters selected by `exclude` (BN and bias parameters, by name) skip both the trust ratio
 * and the weight decay: d = g. Everything stays on the device (no reads per parameter).
 */
import * as tf from "@tensorflow/tfjs";
import { MomentumOptimizer, type NamedVariables } from "./optimizer.js";

export interface LarsOptions {
  momentum: number;
  weightDecay: number;
  /** LARS trust coefficient (VISSL/swav: 0.001). */
  trust: number;
  /** Names of parameters excluded from LARS adaptation and weight decay. Default: none. */
  exclude?: (name: string) => boolean;
  nesterov?: boolean;
  /** Added to the denominator of the trust ratio (apex LARC: 1e-8). */
  eps?: number;
}

/** The LARC direction for one parameter (see the file comment). Must run inside a tidy. */
export function larsDirection(w: tf.Tensor, g: tf.Tensor, trust: number, weightDecay: number, eps: number): tf.Tensor {
  const wNorm = tf.norm(w);
  const gNorm = tf.norm(g);
  const ok = tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(gNorm, 0));
  const local = tf.div(tf.mul(wNorm, trust), tf.add(tf.add(gNorm, tf.mul(wNorm, weightDecay)), eps));
  const scale = tf.where(ok, local, tf.onesLike(local));
  const decay = tf.where(ok, tf.fill([], weightDecay), tf.zerosLike(local));
  return tf.mul(tf.add(g, tf.mul(w, decay)), scale);
}

export class Lars extends MomentumOptimizer {
  readonly kind = "lars";
  private readonly exclude: (name: string) => boolean;
  private readonly eps: number;

  constructor(params: NamedVariables, private readonly opts: LarsOptions) {
    super(params, opts.momentum, opts.nesterov ?? false);
    this.exclude = opts.exclude ?? (() => false);
    this.eps = opts.eps ?? 1e-8;
  }

  /** Excluded (BN, bias) parameters move with their plain gradient: no trust ratio, no decay. */
  protected direction(name: string, p: tf.Variable, g: tf.Tensor): tf.Tensor {
    return this.exclude(name) ? g : larsDirection(p, g, this.opts.trust, this.opts.weightDecay, this.eps);
  }
}

/**
 * The usual BN/bias predicate for names written `<layer>.bias`, `<bn layer>.weight` where the
 * BN layer's own name segment starts with `bn` or ends with `_bn` (e.g. `head.bn0.weight`,
 * `trunk.s1.b2.bn_a.bias`, and the RegNet's pycls names `stem.bn.weight`, `s1.b1.f.a_bn.weight`).
 */
export function isBatchNormOrBias(name: string): boolean {
  return /(^|\.)bias$/.test(name) || /(^|\.)(bn[^.]*|[^.]*_bn)\.[^.]+$/.test(name);
}
