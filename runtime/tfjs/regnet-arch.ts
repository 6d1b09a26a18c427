// A resolved RegNet architecture and the per-block plan derived from it
// (shared/reference/regnet.md §3, following pycls anynet.py).

import type { ModelSpec } from "../../contract/specs.js";
import { roundHalfEven } from "../../core/round.js";

export interface RegNetStage {
  readonly depth: number;
  /** Output width of every block in the stage. */
  readonly width: number;
  /** Channels per group of the 3x3 conv. */
  readonly groupWidth: number;
  /** Width of the bottleneck (a, b and SE act on it); equals `width` for RegNetX/Y. */
  readonly bottleneckWidth: number;
}

export interface RegNetArch {
  readonly family: "X" | "Y";
  readonly stemWidth: number;
  /** SE width ratio of the block *input* width (Y); null for X. */
  readonly seRatio: number | null;
  /** Each stage starts with a stride-2 block. */
  readonly stages: readonly RegNetStage[];
  /** Every block's final BN scale (c_bn.weight) starts at 0 instead of 1. Default false. */
  readonly zeroInitResidual?: boolean;
}

export interface BlockPlan {
  /** pycls names: stage index s (1-based) and block index b (1-based): "s{s}.b{b}". */
  readonly name: string;
  readonly stage: number;
  readonly inWidth: number;
  readonly outWidth: number;
  readonly bottleneckWidth: number;
  readonly groups: number;
  readonly stride: number;
  /** 0 when the block has no squeeze-excitation. */
  readonly seWidth: number;
  readonly projection: boolean;
}


function positiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`RegNet: ${what} must be a positive integer, got ${v}`);
}

export function validateArch(arch: RegNetArch): void {
  positiveInt(arch.stemWidth, "stemWidth");
  if (arch.stages.length === 0) throw new Error("RegNet: at least one stage is needed");
  if (arch.family === "X" && arch.seRatio !== null) throw new Error("RegNet: family X has no squeeze-excitation (seRatio must be null)");
  if (arch.family === "Y" && (arch.seRatio === null || !(arch.seRatio > 0))) {
    throw new Error("RegNet: family Y needs a positive seRatio");
  }
  arch.stages.forEach((s, i) => {
    const where = `stage ${i + 1}`;
    positiveInt(s.depth, `${where} depth`);
    positiveInt(s.width, `${where} width`);
    positiveInt(s.groupWidth, `${where} groupWidth`);
    positiveInt(s.bottleneckWidth, `${where} bottleneckWidth`);
    if (s.bottleneckWidth % s.groupWidth !== 0) {
      throw new Error(`RegNet: ${where} bottleneck width ${s.bottleneckWidth} is not a multiple of group width ${s.groupWidth}`);
    }
  });
}

/** Every block in order, with its widths, stride, groups, SE width and shortcut kind. */
export function planBlocks(arch: RegNetArch): BlockPlan[] {
  validateArch(arch);
  const blocks: BlockPlan[] = [];
  let inWidth = arch.stemWidth;
  arch.stages.forEach((st, si) => {
    for (let bi = 0; bi < st.depth; bi++) {
      const stride = bi === 0 ? 2 : 1;
      const seWidth = arch.seRatio === null ? 0 : roundHalfEven(arch.seRatio * inWidth);
      if (arch.seRatio !== null && seWidth < 1) throw new Error(`RegNet: SE width rounds to 0 in stage ${si + 1}`);
      blocks.push({
        name: `s${si + 1}.b${bi + 1}`,
        stage: si + 1,
        inWidth,
        outWidth: st.width,
        bottleneckWidth: st.bottleneckWidth,
        groups: st.bottleneckWidth / st.groupWidth,
        stride,
        seWidth,
        projection: inWidth !== st.width || stride !== 1,
      });
      inWidth = st.width;
    }
  });
  return blocks;
}

/** Feature taps: `stem`, `res2` .. `res{n+1}` (after stage 1..n), `pool` (global average). */
export type TapName = "stem" | "pool" | `res${number}`;

export function tapNames(arch: RegNetArch): TapName[] {
  return ["stem", ...arch.stages.map((_, i): TapName => `res${i + 2}`), "pool"];
}

/** The architecture of a contract model spec: the expansion the compiler made, so the built network is exactly the one `seer explain` describes. */
export function archFromSpec(m: ModelSpec): RegNetArch {
  return {
    family: m.family,
    stemWidth: m.stem_width,
    seRatio: m.family === "Y" ? m.se_ratio : null,
    stages: m.stages.map((s) => ({ depth: s.depth, width: s.width, groupWidth: s.group_width, bottleneckWidth: s.bottleneck_width })),
    ...(m.zero_init_residual ? { zeroInitResidual: true } : {}),
  };
}
