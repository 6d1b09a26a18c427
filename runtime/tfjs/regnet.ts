// RegNetX / RegNetY trunk (plus an optional fc head) on TensorFlow.js.
//
//   stem   3x3/2 conv (no bias) -> BN -> ReLU
//   block  a: 1x1 -> BN -> ReLU; b: grouped 3x3 with the stride -> BN -> ReLU;
//          [Y: squeeze-excitation]; c: 1x1 -> BN; shortcut: identity, or 1x1 with the stride
//          -> BN when the shape changes; residual add; ReLU
//   head   global average pool -> fc with bias (optional)
// Input: NHWC float32 images [N, H, W, 3]. Convs pad as PyTorch does (3x3: 1 on every side).
// The gradient with respect to the input images is never computed (the stem skips it).
import { batchNorm, type BatchNormParams } from "./batchnorm.js";
import { conv2d } from "./conv.js";
import { groupedConv2d, type GroupedMethod } from "./grouped-conv.js";
import { matMul } from "./matmul.js";
import { globalAvgPool } from "./pool.js";
import { planBlocks, tapNames, type BlockPlan, type RegNetArch, type TapName } from "./regnet-arch.js";
import { createRegNetParams, createRegNetParamsAsync, type NamedVariable, type RegNetParams } from "./regnet-params.js";
import { squeezeExcite } from "./se.js";
import type { Tensor, Tensor2D, Tensor4D, Tf, Variable } from "./tf.js";

export type { RegNetArch, RegNetStage, TapName, BlockPlan } from "./regnet-arch.js";
export type { NamedVariable } from "./regnet-params.js";

export interface RegNetOptions {
  /** Seed of the deterministic initialisation. */
  readonly seed: number;
  /** Adds global-average-pool -> fc (with bias) producing `classes` logits. */
  readonly head?: { readonly classes: number };
  /** Grouped-conv method for every 3x3 conv; default "auto" (chosen per layer and input size). */
  readonly groupedMethod?: GroupedMethod | "auto";
}

export interface ApplyOptions {
  /** Batch statistics (and running-stat updates) in training mode; running stats otherwise. */
  readonly training: boolean;
  /** Feature maps to return. Default: none with a head, ["pool"] without. */
  readonly taps?: readonly TapName[];
}

export interface RegNetOutput {
  /** The requested taps: NHWC maps, except `pool` which is [N, C]. */
  readonly taps: Partial<Record<TapName, Tensor>>;
  /** [N, classes], or null without a head. */
  readonly logits: Tensor2D | null;
}

export interface RegNet {
  readonly arch: RegNetArch;
  readonly blocks: readonly BlockPlan[];
  readonly tapNames: readonly TapName[];
  /** Every variable, in creation order, named as in pycls. */
  readonly variables: readonly NamedVariable[];
  /** The variables an optimiser should update (excludes BN running statistics). */
  trainableVariables(): Variable[];
  /** Runs the network. The caller owns (and disposes) the returned tensors; nothing else is kept. */
  apply(x: Tensor4D, options: ApplyOptions): RegNetOutput;
  /** Number of trainable parameters (pycls counting: no BN buffers). */
  paramCount(): number;
  dispose(): void;
}

export function buildRegNet(tf: Tf, arch: RegNetArch, options: RegNetOptions): RegNet {
  return assemble(tf, arch, options, createRegNetParams(tf, arch, options.seed, options.head?.classes ?? null));
}

/** `buildRegNet` for big models: the event loop runs while the weights are drawn, and `signal` stops the build (an AbortError) within about 50 ms. */
export async function buildRegNetAsync(tf: Tf, arch: RegNetArch, options: RegNetOptions & { signal?: AbortSignal }): Promise<RegNet> {
  return assemble(tf, arch, options, await createRegNetParamsAsync(tf, arch, options.seed, options.head?.classes ?? null, options.signal));
}

function assemble(tf: Tf, arch: RegNetArch, options: RegNetOptions, params: RegNetParams): RegNet {
  const taps = tapNames(arch);
  let disposed = false;
  return {
    arch,
    blocks: planBlocks(arch),
    tapNames: taps,
    variables: params.variables,
    trainableVariables: () => params.variables.filter((v) => v.trainable).map((v) => v.variable),
    apply(x, o) {
      if (disposed) throw new Error("RegNet: apply after dispose");
      return forward(tf, params, x, o, taps, options.groupedMethod ?? "auto");
    },
    paramCount: () => params.variables.reduce((n, v) => n + (v.trainable ? v.variable.size : 0), 0),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of params.variables) v.variable.dispose();
    },
  };
}

function forward(
  tf: Tf,
  params: RegNetParams,
  x: Tensor4D,
  o: ApplyOptions,
  available: readonly TapName[],
  method: GroupedMethod | "auto",
): RegNetOutput {
  if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`RegNet: expected NHWC images [N,H,W,3], got [${x.shape.join(",")}]`);
  const wanted = o.taps ?? (params.head === null ? ["pool"] : []);
  for (const t of wanted) if (!available.includes(t)) throw new Error(`RegNet: unknown tap '${t}' (have ${available.join(", ")})`);
  const bnOpts = { training: o.training };
  const bn = <T extends Tensor>(t: T, p: BatchNormParams): T => batchNorm(tf, t, p, bnOpts);

  const names: TapName[] = [];
  const outs = tf.tidy(() => {
    const kept: Tensor[] = [];
    const tap = (name: TapName, t: Tensor): void => {
      if (wanted.includes(name)) {
        names.push(name);
        kept.push(t);
      }
    };
    let h = tf.relu(bn(conv2d(tf, x, params.stem.w, { stride: 2, pad: 1, inputGrad: false }), params.stem.bn));
    tap("stem", h);
    params.blocks.forEach((blk, i) => {
      const p = blk.plan;
      let y = tf.relu(bn(conv2d(tf, h, blk.a.w, { stride: 1, pad: 0 }), blk.a.bn));
      y = tf.relu(bn(groupedConv2d(tf, y, blk.b.w, { stride: p.stride, pad: 1, groups: p.groups, method }), blk.b.bn));
      if (blk.se !== null) y = squeezeExcite(tf, y, blk.se);
      y = bn(conv2d(tf, y, blk.c.w, { stride: 1, pad: 0 }), blk.c.bn);
      const shortcut = blk.proj === null ? h : bn(conv2d(tf, h, blk.proj.w, { stride: p.stride, pad: 0 }), blk.proj.bn);
      h = tf.relu(tf.add(y, shortcut)) as Tensor4D;
      const next = params.blocks[i + 1];
      if (next === undefined || next.plan.stage !== p.stage) tap(`res${p.stage + 1}`, h);
    });
    const pool = globalAvgPool(tf, h);
    tap("pool", pool);
    if (params.head !== null) kept.push(tf.add(matMul(tf, pool, params.head.w), params.head.b));
    return kept;
  });
  const result: Partial<Record<TapName, Tensor>> = {};
  names.forEach((n, i) => {
    const t = outs[i];
    if (t !== undefined) result[n] = t;
  });
  const logits = params.head === null ? null : ((outs[names.length] as Tensor2D | undefined) ?? null);
  return { taps: result, logits };
}
