/**
 * The few places where RegNet implementations disagree (regnet.md §5), as switches.
 * `PYCLS_RULES` is the reference and the default everywhere; the other settings exist so
 * that the known differences can be reproduced and tested, not to be chosen by recipes.
 */
import type { TieRounding } from "../../core/round.js";

export interface CountingRules {
  /** How exact .5 ties round (all roundings: exponents, x8 quantum, groups, SE width). */
  ties: TieRounding;
  /**
   * How a stage width is made a multiple of its group width: `pycls` rounds to the
   * nearest multiple (ClassyVision and timm agree); `torchvision` uses `_make_divisible`
   * (ties up, and one more group if the result falls below 90% of the width).
   */
  groupRounding: "pycls" | "torchvision";
  /** What the SE width is a fraction of: the block `input` width (all references) or, wrongly, the `bottleneck` width. */
  seWidthFrom: "input" | "bottleneck";
}

export const PYCLS_RULES: Readonly<CountingRules> = Object.freeze({
  ties: "half-even",
  groupRounding: "pycls",
  seWidthFrom: "input",
});

/** torchvision's RegNets: pycls except for the group rounding. */
export const TORCHVISION_RULES: Readonly<CountingRules> = Object.freeze({
  ties: "half-even",
  groupRounding: "torchvision",
  seWidthFrom: "input",
});
