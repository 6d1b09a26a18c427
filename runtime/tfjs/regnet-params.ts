// RegNet variables: created, named and initialised deterministically from a seed.
//
// Names follow pycls (stem.conv.weight, s1.b1.f.a_bn.running_mean, s2.b1.proj.weight,
// s1.b1.f.se.f_ex.0.bias, head.fc.weight, ...) so a pycls/VISSL state dict maps onto them one to
// one. Layouts differ from PyTorch: conv weights are HWIO [kh, kw, Ci/groups, Co] (PyTorch
// [Co, Ci/groups, kh, kw] permuted (2, 3, 1, 0)); the fc weight is [C, classes] (transposed).
//
// Initialisation as pycls init_weights: conv N(0, 2/(kh·kw·Co)); BN γ = 1, β = 0, running mean
// 0, running var 1; fc N(0, 0.01²) with zero bias. SE biases start at zero (PyTorch would draw
// them from its default uniform; pycls leaves that in place).
import type { BatchNormParams } from "./batchnorm.js";
import { drain, drainAsync, heNormalStd, normalValuesSteps } from "./init.js";
import { planBlocks, type BlockPlan, type RegNetArch } from "./regnet-arch.js";
import type { SqueezeExciteParams } from "./se.js";
import type { Rank, Tf, Variable } from "./tf.js";

export interface NamedVariable {
  readonly name: string;
  readonly variable: Variable;
  /** false for BN running statistics (buffers). */
  readonly trainable: boolean;
}

export interface ConvBn {
  readonly w: Variable<Rank.R4>;
  readonly bn: BatchNormParams;
}

export interface SeVariables extends SqueezeExciteParams {
  readonly w1: Variable<Rank.R4>;
  readonly b1: Variable<Rank.R1>;
  readonly w2: Variable<Rank.R4>;
  readonly b2: Variable<Rank.R1>;
}

export interface BlockParams {
  readonly plan: BlockPlan;
  readonly a: ConvBn;
  readonly b: ConvBn;
  readonly se: SeVariables | null;
  readonly c: ConvBn;
  readonly proj: ConvBn | null;
}

export interface HeadParams {
  readonly w: Variable<Rank.R2>;
  readonly b: Variable<Rank.R1>;
}

export interface RegNetParams {
  readonly stem: ConvBn;
  readonly blocks: readonly BlockParams[];
  readonly head: HeadParams | null;
  readonly variables: readonly NamedVariable[];
}

export function createRegNetParams(tf: Tf, arch: RegNetArch, seed: number, classes: number | null): RegNetParams {
  return drain(regNetParamSteps(tf, arch, seed, classes));
}

/** `createRegNetParams` that lets the event loop in while it draws, and stops (disposing what it made) once `signal` is aborted. */
export function createRegNetParamsAsync(tf: Tf, arch: RegNetArch, seed: number, classes: number | null, signal?: AbortSignal): Promise<RegNetParams> {
  return drainAsync(regNetParamSteps(tf, arch, seed, classes), signal);
}

/** The variables, made in pycls order; yields between chunks of random draws (a wide model draws for seconds). */
function* regNetParamSteps(tf: Tf, arch: RegNetArch, seed: number, classes: number | null): Generator<void, RegNetParams, void> {
  const plans = planBlocks(arch); // validates before anything is allocated
  if (classes !== null && (!Number.isInteger(classes) || classes < 1)) throw new Error(`RegNet: bad class count ${classes}`);
  const variables: NamedVariable[] = [];
  const make = <R extends Rank>(name: string, shape: number[], values: Float32Array, trainable = true): Variable<R> => {
    const v = tf.tidy(() => tf.variable(tf.tensor<Rank>(values, shape, "float32"), trainable)) as Variable<R>;
    variables.push({ name, variable: v, trainable });
    return v;
  };
  const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
  const filled = (n: number, value: number): Float32Array => new Float32Array(n).fill(value);
  function* conv(name: string, k: number, cin: number, cout: number): Generator<void, Variable<Rank.R4>, void> {
    const shape = [k, k, cin, cout];
    return make<Rank.R4>(name, shape, yield* normalValuesSteps(size(shape), heNormalStd(k, k, cout), seed, name));
  }
  const bn = (prefix: string, c: number, gamma = 1): BatchNormParams => ({
    gamma: make<Rank.R1>(`${prefix}.weight`, [c], filled(c, gamma)),
    beta: make<Rank.R1>(`${prefix}.bias`, [c], filled(c, 0)),
    runningMean: make<Rank.R1>(`${prefix}.running_mean`, [c], filled(c, 0), false),
    runningVar: make<Rank.R1>(`${prefix}.running_var`, [c], filled(c, 1), false),
  });
  function* convBn(convName: string, bnName: string, k: number, cin: number, cout: number, gamma = 1): Generator<void, ConvBn, void> {
    const w = yield* conv(convName, k, cin, cout);
    return { w, bn: bn(bnName, cout, gamma) };
  }

  try {
    const stem = yield* convBn("stem.conv.weight", "stem.bn", 3, 3, arch.stemWidth);
    const blocks: BlockParams[] = [];
    for (const p of plans) {
      const f = `${p.name}.f`;
      const wb = p.bottleneckWidth;
      // pycls creates the projection before the residual branch.
      const proj = p.projection ? yield* convBn(`${p.name}.proj.weight`, `${p.name}.bn`, 1, p.inWidth, p.outWidth) : null;
      const a = yield* convBn(`${f}.a.weight`, `${f}.a_bn`, 1, p.inWidth, wb);
      const b = yield* convBn(`${f}.b.weight`, `${f}.b_bn`, 3, wb / p.groups, wb);
      let se: SeVariables | null = null;
      if (p.seWidth !== 0) {
        const w1 = yield* conv(`${f}.se.f_ex.0.weight`, 1, wb, p.seWidth);
        const b1 = make<Rank.R1>(`${f}.se.f_ex.0.bias`, [p.seWidth], filled(p.seWidth, 0));
        const w2 = yield* conv(`${f}.se.f_ex.2.weight`, 1, p.seWidth, wb);
        const b2 = make<Rank.R1>(`${f}.se.f_ex.2.bias`, [wb], filled(wb, 0));
        se = { w1, b1, w2, b2 };
      }
      // pycls BN.ZERO_INIT_FINAL_GAMMA: the residual branch starts switched off.
      const c = yield* convBn(`${f}.c.weight`, `${f}.c_bn`, 1, wb, p.outWidth, arch.zeroInitResidual ? 0 : 1);
      blocks.push({ plan: p, a, b, se, c, proj });
    }
    let head: HeadParams | null = null;
    if (classes !== null) {
      const last = arch.stages[arch.stages.length - 1]?.width ?? arch.stemWidth;
      head = {
        w: make<Rank.R2>("head.fc.weight", [last, classes], yield* normalValuesSteps(last * classes, 0.01, seed, "head.fc.weight")),
        b: make<Rank.R1>("head.fc.bias", [classes], filled(classes, 0)),
      };
    }
    return { stem, blocks, head, variables };
  } catch (e) {
    for (const v of variables) v.variable.dispose();
    throw e;
  }
}
