/**
 * Temporarily frozen parameters (swav's `freeze_prototypes_niters`, VISSL's
 * `TEMP_FROZEN_PARAMS_ITER_MAP`): a rule freezes a parameter for steps 0 … steps−1.
 *
 * A frozen parameter gets no gradient at all, as swav's `p.grad = None`: the optimiser skips
 * it (no momentum update, no weight decay), which is stricter than a zero gradient under SGD
 * with weight decay. The training step leaves frozen parameters out of the gradient
 * computation, so freezing also saves their backward pass.
 */

export interface FreezeRule {
  /** Parameter name. */
  name: string;
  /** Number of leading steps during which the parameter is frozen. */
  steps: number;
}

/** Names of the parameters frozen at `step` (0-based). */
export function frozenAt(step: number, rules: readonly FreezeRule[]): Set<string> {
  return new Set(rules.filter((r) => step < r.steps).map((r) => r.name));
}
