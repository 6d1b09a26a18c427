/**
 * Flops, params and acts counted exactly as pycls counts them (regnet.md §3–4):
 * - flops are multiply-adds of convs and the fc (plus one per output for a bias);
 * - params are conv/fc weights and biases plus 2 per BatchNorm channel;
 * - acts are the output elements of every conv and the fc, for one image;
 * - BN, ReLU, sigmoid, the SE multiply, residual adds and pooling count nothing.
 */
import { expandOrThrow, type StageInfo } from "./expand.js";
import type { RegNetParams } from "./params.js";
import { rounder } from "../../core/round.js";
import { PYCLS_RULES, type CountingRules } from "./rules.js";

export interface Counts {
  params: number;
  flops: number;
  acts: number;
}

export interface Complexity extends Counts {
  /** Stem plus stages: the network without its classifier (as VISSL/ClassyVision trunks). */
  trunkParams: number;
  trunkFlops: number;
  trunkActs: number;
  stem: Counts;
  /** One entry per stage, in order. */
  stages: Counts[];
  /** The fc classifier after global pooling (all zero when `classes` is 0). */
  head: Counts;
}

export interface ComplexityOptions {
  /** Square input side in pixels; default 224. */
  inputSize?: number;
  /** Outputs of the fc head; default 1000; 0 means no head. */
  classes?: number;
  /** Counting rules; default pycls. */
  rules?: CountingRules;
  /** Called after each block with that block's own counts and its output (for per-block cost models). */
  onBlock?: (b: BlockCounts) => void;
}

/** One block's counts, for one image. */
export interface BlockCounts extends Counts {
  /** Index of its stage (0-based). */
  stage: number;
  /** Elements of the block's output feature map. */
  outElements: number;
}

/** What the counter needs besides the stages (so explicit AnyNet-style stages can be counted too). */
export interface NetworkShape {
  stemWidth: number;
  /** SE width as a fraction of the block input width; null means no SE. */
  seRatio: number | null;
}

export const DEFAULT_INPUT_SIZE = 224;
export const DEFAULT_CLASSES = 1000;
export const INPUT_CHANNELS = 3;

/** Output side of a conv with kernel k, padding ⌊k/2⌋ and stride s: ⌈h/s⌉. */
export function convOutputSize(h: number, stride: number): number {
  return Math.floor((h - 1) / stride) + 1;
}

function zero(): Counts {
  return { params: 0, flops: 0, acts: 0 };
}

interface Conv {
  k: number;
  cin: number;
  cout: number;
  stride: number;
  groups: number;
  bias: boolean;
}

/** Adds one conv run on an h×h input to `acc`; returns the output side. */
function conv(acc: Counts, h: number, c: Conv): number {
  const out = convOutputSize(h, c.stride);
  const area = out * out;
  const weights = Math.floor((c.k * c.k * c.cin * c.cout) / c.groups);
  acc.flops += Math.floor((c.k * c.k * c.cin * c.cout * area) / c.groups) + (c.bias ? c.cout * area : 0);
  acc.params += weights + (c.bias ? c.cout : 0);
  acc.acts += c.cout * area;
  return out;
}

function batchNorm(acc: Counts, channels: number): void {
  acc.params += 2 * channels;
}

/** One residual bottleneck block (X block, plus SE for Y); returns the output side. */
function block(acc: Counts, h: number, cin: number, s: StageInfo, stride: number, se: number | null): number {
  const wb = s.bottleneckWidth;
  if (stride !== 1 || cin !== s.width) {
    conv(acc, h, { k: 1, cin, cout: s.width, stride, groups: 1, bias: false });
    batchNorm(acc, s.width);
  }
  conv(acc, h, { k: 1, cin, cout: wb, stride: 1, groups: 1, bias: false });
  batchNorm(acc, wb);
  const out = conv(acc, h, { k: 3, cin: wb, cout: wb, stride, groups: s.groups, bias: false });
  batchNorm(acc, wb);
  if (se !== null) {
    conv(acc, 1, { k: 1, cin: wb, cout: se, stride: 1, groups: 1, bias: true });
    conv(acc, 1, { k: 1, cin: se, cout: wb, stride: 1, groups: 1, bias: true });
  }
  conv(acc, out, { k: 1, cin: wb, cout: s.width, stride: 1, groups: 1, bias: false });
  batchNorm(acc, s.width);
  return out;
}

function checkOptions(inputSize: number, classes: number): void {
  if (!Number.isInteger(inputSize) || inputSize < 1) {
    throw new RangeError(`The input size must be a whole number of pixels, at least 1, got ${inputSize}.`);
  }
  if (!Number.isInteger(classes) || classes < 0) {
    throw new RangeError(`The number of classes must be a whole number, at least 0, got ${classes}.`);
  }
}

/** Counts a network given its stages (RegNet or any AnyNet of X/Y blocks). */
export function countStages(stages: readonly StageInfo[], net: NetworkShape, opts: ComplexityOptions = {}): Complexity {
  const inputSize = opts.inputSize ?? DEFAULT_INPUT_SIZE;
  const classes = opts.classes ?? DEFAULT_CLASSES;
  const rules = opts.rules ?? PYCLS_RULES;
  checkOptions(inputSize, classes);
  const round = rounder(rules.ties);

  const stem = zero();
  let h = conv(stem, inputSize, { k: 3, cin: INPUT_CHANNELS, cout: net.stemWidth, stride: 2, groups: 1, bias: false });
  batchNorm(stem, net.stemWidth);

  let cin = net.stemWidth;
  const stageCounts = stages.map((s, index) => {
    const acc = zero();
    for (let i = 0; i < s.depth; i++) {
      const stride = i === 0 ? s.stride : 1;
      const seBase = rules.seWidthFrom === "input" ? cin : s.bottleneckWidth;
      const se = net.seRatio === null ? null : round(net.seRatio * seBase);
      const before = { ...acc };
      h = block(acc, h, cin, s, stride, se);
      opts.onBlock?.({ stage: index, params: acc.params - before.params, flops: acc.flops - before.flops, acts: acc.acts - before.acts, outElements: s.width * h * h });
      cin = s.width;
    }
    return acc;
  });

  const head = zero();
  if (classes > 0) {
    head.flops = cin * classes + classes;
    head.params = cin * classes + classes;
    head.acts = classes;
  }
  const trunk = [stem, ...stageCounts].reduce((a, b) => ({
    params: a.params + b.params,
    flops: a.flops + b.flops,
    acts: a.acts + b.acts,
  }));
  return {
    params: trunk.params + head.params,
    flops: trunk.flops + head.flops,
    acts: trunk.acts + head.acts,
    trunkParams: trunk.params,
    trunkFlops: trunk.flops,
    trunkActs: trunk.acts,
    stem,
    stages: stageCounts,
    head,
  };
}

/**
 * Exact pycls complexity of a RegNet. Throws `RegNetParamsError` when `expandStages`
 * reports any problem, and `RangeError` for an invalid input size or class count.
 */
export function complexity(p: RegNetParams, opts: ComplexityOptions = {}): Complexity {
  const stages = expandOrThrow(p, opts.rules ?? PYCLS_RULES);
  return countStages(stages, { stemWidth: p.stemWidth, seRatio: p.seRatio }, opts);
}
