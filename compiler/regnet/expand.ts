/**
 * From RegNet parameters to stages (regnet.md §2): linear widths, quantised in base `wm`
 * and to multiples of 8, grouped into stages, then made compatible with the group width.
 */
import { checkParams, fieldName, RegNetParamsError, WIDTH_QUANTUM, type RegNetParams, type RegNetProblem } from "./params.js";
import { rounder } from "../../core/round.js";
import { PYCLS_RULES, type CountingRules } from "./rules.js";

export interface StageInfo {
  /** Number of blocks in the stage. */
  depth: number;
  /** Output width of every block of the stage (after the group adjustment). */
  width: number;
  /** Channels per group in the 3x3 conv (the requested group width, capped at the bottleneck width). */
  groupWidth: number;
  /** Number of groups of the 3x3 conv. */
  groups: number;
  /** Channels of the 1x1 → 3x3 → 1x1 bottleneck (equals `width` when `bottleneck` is 1). */
  bottleneckWidth: number;
  /** The quantised stage width before the group adjustment. */
  widthBeforeAdjust: number;
  /** Stride of the stage's first block (always 2). */
  stride: number;
}

export interface Expansion {
  stages: StageInfo[];
  problems: RegNetProblem[];
}

export const STAGE_STRIDE = 2;

/**
 * Per-block exponents k_j and quantised widths w_j (steps 1–3 of regnet.md §2).
 * Assumes parameters that `checkParams` calls expandable.
 */
export function blockWidths(p: RegNetParams, rules: CountingRules = PYCLS_RULES): { exponents: number[]; widths: number[] } {
  const round = rounder(rules.ties);
  const exponents: number[] = [];
  const widths: number[] = [];
  const logWm = Math.log(p.wm);
  for (let j = 0; j < p.depth; j++) {
    const linear = j * p.wa + p.w0;
    const k = round(Math.log(linear / p.w0) / logWm);
    exponents.push(k);
    widths.push(round((p.w0 * Math.pow(p.wm, k)) / WIDTH_QUANTUM) * WIDTH_QUANTUM);
  }
  return { exponents, widths };
}

/** Contiguous runs of equal widths: one run per stage. */
function runs(widths: readonly number[]): { width: number; depth: number }[] {
  const out: { width: number; depth: number }[] = [];
  for (const width of widths) {
    const last = out[out.length - 1];
    if (last !== undefined && last.width === width) last.depth += 1;
    else out.push({ width, depth: 1 });
  }
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Step 5 of regnet.md §2. The lcm with an integer bottleneck multiplier above 1 is pycls's
 * rule (it only matters for RegNetZ-like settings); torchvision has no such rule.
 */
function adjustForGroups(width: number, bm: number, g: number, rules: CountingRules): Omit<StageInfo, "depth" | "stride"> {
  const round = rounder(rules.ties);
  const v = Math.floor(Math.max(1, width * bm));
  const groupWidth = Math.min(g, v);
  let adjusted: number;
  if (rules.groupRounding === "pycls") {
    const m = bm > 1 && Number.isInteger(bm) ? (groupWidth * bm) / gcd(groupWidth, bm) : groupWidth;
    adjusted = Math.max(m, m * round(v / m));
  } else {
    adjusted = Math.max(groupWidth, Math.floor((v + groupWidth / 2) / groupWidth) * groupWidth);
    if (adjusted < 0.9 * v) adjusted += groupWidth;
  }
  const finalWidth = Math.floor(adjusted / bm);
  const bottleneckWidth = round(finalWidth * bm);
  return {
    width: finalWidth,
    groupWidth,
    groups: Math.floor(bottleneckWidth / groupWidth),
    bottleneckWidth,
    widthBeforeAdjust: width,
  };
}

/**
 * Expands parameters into stages and lists every problem found, without throwing.
 * When the parameters cannot be evaluated at all (e.g. `wm <= 1`), `stages` is empty.
 */
export function expandStages(p: RegNetParams, rules: CountingRules = PYCLS_RULES): Expansion {
  const { problems, expandable } = checkParams(p);
  if (!expandable) return { stages: [], problems };
  const stages = runs(blockWidths(p, rules).widths).map(({ width, depth }) => ({
    depth,
    ...adjustForGroups(width, p.bottleneck, p.groupWidth, rules),
    stride: STAGE_STRIDE,
  }));
  stages.forEach((s, i) => problems.push(...stageProblems(s, i + 1, p)));
  return { stages, problems };
}

function stageProblems(s: StageInfo, n: number, p: RegNetParams): RegNetProblem[] {
  const out: RegNetProblem[] = [];
  if (s.depth < 1) {
    out.push({ field: "depth", rule: "stage-has-blocks", message: `Stage ${n} has no blocks.` });
  }
  if (s.widthBeforeAdjust < 1) {
    out.push({
      field: "w0",
      rule: "stage-width-positive",
      message: `Stage ${n} has width ${s.widthBeforeAdjust} after quantising to multiples of 8; ${fieldName("w0")} = ${p.w0} is too small.`,
    });
    return out;
  }
  if (s.groupWidth > s.bottleneckWidth) {
    out.push({
      field: "groupWidth",
      rule: "group-width-within-bottleneck",
      message: `Stage ${n} has group width ${s.groupWidth}, more than its bottleneck width ${s.bottleneckWidth}; check ${fieldName("groupWidth")} and ${fieldName("bottleneck")}.`,
    });
  } else if (s.bottleneckWidth % s.groupWidth !== 0) {
    out.push({
      field: "groupWidth",
      rule: "group-width-divides-bottleneck",
      message: `Stage ${n} has bottleneck width ${s.bottleneckWidth}, not a multiple of its group width ${s.groupWidth}; check ${fieldName("groupWidth")} and ${fieldName("bottleneck")}.`,
    });
  }
  return out;
}

/** `expandStages`, for callers that need valid stages: throws `RegNetParamsError` on any problem. */
export function expandOrThrow(p: RegNetParams, rules: CountingRules = PYCLS_RULES): StageInfo[] {
  const { stages, problems } = expandStages(p, rules);
  if (problems.length > 0) throw new RegNetParamsError(problems);
  return stages;
}
