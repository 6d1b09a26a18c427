/**
 * Rounding rules for RegNet width arithmetic.
 *
 * pycls rounds with numpy's `np.round` and Python's `round`, which send exact .5 ties to
 * the even neighbour. JavaScript's `Math.round` sends them up, and that changes real
 * presets (RegNetX-400MF, RegNetX-1.6GF, RegNetY-800MF, SEER-1.3B), so every rounding in
 * this module goes through one of these functions, never through `Math.round`.
 */

/** Rounds to the nearest integer; an exact tie goes to the even neighbour. */
export function roundHalfEven(x: number): number {
  const lower = Math.floor(x);
  const fraction = x - lower;
  if (fraction < 0.5) return lower;
  if (fraction > 0.5) return lower + 1;
  return lower % 2 === 0 ? lower : lower + 1;
}

/** Rounds to the nearest integer; an exact tie goes up. Used only to model other code bases. */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/** Rounding of exact ties: `half-even` is numpy/Python (pycls); `half-up` is `Math.round`. */
export type TieRounding = "half-even" | "half-up";

export function rounder(mode: TieRounding): (x: number) => number {
  return mode === "half-even" ? roundHalfEven : roundHalfUp;
}
