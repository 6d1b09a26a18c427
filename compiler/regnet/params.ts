/**
 * RegNet parameters, their defaults, and the checks pycls makes on them (reported as
 * problems, never thrown). See shared/reference/regnet.md §1.
 */

export interface RegNetParams {
  /** `X` has no Squeeze-Excitation; `Y` has it. */
  family: "X" | "Y";
  /** Total number of blocks over all stages (pycls `DEPTH`, the paper's d). */
  depth: number;
  /** Initial width; a positive multiple of 8. */
  w0: number;
  /** Width slope; at least 0. */
  wa: number;
  /** Width multiplier; greater than 1. */
  wm: number;
  /** Channels per group in each 3x3 conv (before the compatibility adjustment). */
  groupWidth: number;
  /** Bottleneck multiplier (pycls `BOT_MUL`); 1 for RegNetX and RegNetY. */
  bottleneck: number;
  /** Every block's final BN scale starts at 0 (pycls `BN.ZERO_INIT_FINAL_GAMMA`). Default false. */
  zeroInitResidual?: boolean;
  /** SE width as a fraction of the block input width; null means no SE. */
  seRatio: number | null;
  /** Output channels of the 3x3 stride-2 stem. */
  stemWidth: number;
}

/** What a recipe must give; the rest has pycls defaults (see `withDefaults`). */
export type RegNetInput = Pick<RegNetParams, "family" | "depth" | "w0" | "wa" | "wm" | "groupWidth"> &
  Partial<Pick<RegNetParams, "bottleneck" | "seRatio" | "stemWidth">>;

/** One problem with the parameters or with what they expand to. */
export interface RegNetProblem {
  field: keyof RegNetParams;
  /** A stable kebab-case rule id, e.g. `w0-multiple-of-8`. */
  rule: string;
  /** One sentence: starts with a capital or a backtick, ends with a period. */
  message: string;
}

export const DEFAULT_BOTTLENECK = 1;
export const DEFAULT_Y_SE_RATIO = 0.25;
export const DEFAULT_STEM_WIDTH = 32;
/** Widths are quantised to multiples of this (pycls `q`). */
export const WIDTH_QUANTUM = 8;

export function withDefaults(input: RegNetInput): RegNetParams {
  return {
    family: input.family,
    depth: input.depth,
    w0: input.w0,
    wa: input.wa,
    wm: input.wm,
    groupWidth: input.groupWidth,
    bottleneck: input.bottleneck ?? DEFAULT_BOTTLENECK,
    seRatio: input.seRatio !== undefined ? input.seRatio : input.family === "Y" ? DEFAULT_Y_SE_RATIO : null,
    stemWidth: input.stemWidth ?? DEFAULT_STEM_WIDTH,
  };
}

const NUMERIC_FIELDS = ["depth", "w0", "wa", "wm", "groupWidth", "bottleneck", "seRatio", "stemWidth"] as const;

/** The field names as recipes spell them, for messages. */
export const RECIPE_NAMES: Readonly<Record<keyof RegNetParams, string>> = {
  family: "family",
  depth: "depth",
  w0: "w0",
  wa: "wa",
  wm: "wm",
  groupWidth: "group_width",
  bottleneck: "bottleneck",
  seRatio: "se_ratio",
  stemWidth: "stem_width",
  zeroInitResidual: "zero_init_residual",
};

export function fieldName(field: keyof RegNetParams): string {
  return `\`${RECIPE_NAMES[field]}\``;
}

function isPositiveInteger(x: number): boolean {
  return Number.isInteger(x) && x >= 1;
}

/** Fields the width formula reads: a problem with one of them stops the expansion. */
const GENERATION_FIELDS: ReadonlySet<keyof RegNetParams> = new Set(["depth", "w0", "wa", "wm", "groupWidth", "bottleneck"]);

type AddProblem = (field: keyof RegNetParams, rule: string, message: string) => void;

/**
 * Checks the parameters on their own (before expansion). `expandable` is false when the
 * width formula cannot be evaluated (then no stages are produced); a `w0` that is positive
 * but not a multiple of 8 is reported and still expanded.
 */
export function checkParams(p: RegNetParams): { problems: RegNetProblem[]; expandable: boolean } {
  const problems: RegNetProblem[] = [];
  const nonFinite = new Set<keyof RegNetParams>();
  for (const field of NUMERIC_FIELDS) {
    const value = p[field];
    if (value !== null && !Number.isFinite(value)) {
      nonFinite.add(field);
      problems.push({ field, rule: "finite-number", message: `${fieldName(field)} must be a finite number, got ${String(value)}.` });
    }
  }
  // A non-finite field has been reported once; its other rules would only repeat that.
  const add: AddProblem = (field, rule, message) => {
    if (!nonFinite.has(field)) problems.push({ field, rule, message });
  };

  if (p.family !== "X" && p.family !== "Y") {
    add("family", "family-x-or-y", `${fieldName("family")} must be \`X\` or \`Y\`, got \`${String(p.family)}\`.`);
  }
  if (!isPositiveInteger(p.depth)) {
    add("depth", "depth-positive-integer", `${fieldName("depth")} must be a whole number of blocks, at least 1, got ${p.depth}.`);
  }
  if (!(p.w0 > 0 && p.w0 % WIDTH_QUANTUM === 0)) {
    add("w0", "w0-multiple-of-8", `${fieldName("w0")} must be a positive multiple of 8, got ${p.w0}.`);
  }
  if (!(p.wa >= 0)) {
    add("wa", "wa-non-negative", `${fieldName("wa")} must be at least 0, got ${p.wa}.`);
  }
  if (!(p.wm > 1)) {
    add("wm", "wm-greater-than-one", `${fieldName("wm")} must be greater than 1, got ${p.wm}.`);
  }
  if (!isPositiveInteger(p.groupWidth)) {
    add("groupWidth", "group-width-positive-integer", `${fieldName("groupWidth")} must be a whole number, at least 1, got ${p.groupWidth}.`);
  }
  if (!(p.bottleneck > 0)) {
    add("bottleneck", "bottleneck-positive", `${fieldName("bottleneck")} must be greater than 0, got ${p.bottleneck}.`);
  }
  if (!isPositiveInteger(p.stemWidth)) {
    add("stemWidth", "stem-width-positive-integer", `${fieldName("stemWidth")} must be a whole number, at least 1, got ${p.stemWidth}.`);
  }
  checkSe(p, add);

  const expandable = !problems.some(
    (x) => GENERATION_FIELDS.has(x.field) && !(x.rule === "w0-multiple-of-8" && p.w0 > 0),
  );
  return { problems, expandable };
}

function checkSe(p: RegNetParams, add: AddProblem): void {
  if (p.seRatio === null) {
    if (p.family === "Y") {
      add("seRatio", "y-has-se", `A RegNetY has Squeeze-Excitation, so ${fieldName("seRatio")} cannot be empty; use family \`X\` for none.`);
    }
    return;
  }
  if (p.family === "X") {
    add("seRatio", "x-has-no-se", `A RegNetX has no Squeeze-Excitation, so ${fieldName("seRatio")} must not be set; use family \`Y\`.`);
  }
  if (!(p.seRatio > 0 && p.seRatio <= 1)) {
    add("seRatio", "se-ratio-range", `${fieldName("seRatio")} must be greater than 0 and at most 1, got ${p.seRatio}.`);
  }
}

/** Thrown by the counting functions when `expandStages` reports problems. */
export class RegNetParamsError extends Error {
  readonly problems: readonly RegNetProblem[];

  constructor(problems: readonly RegNetProblem[]) {
    const first = problems[0]?.message ?? "The RegNet parameters are invalid.";
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : "";
    super(`${first}${more}`);
    this.name = "RegNetParamsError";
    this.problems = problems;
  }
}
