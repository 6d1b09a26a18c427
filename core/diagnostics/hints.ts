/**
 * "Did you mean" within a bounded effort per file. Suggesting a name compares it with every
 * name in scope, so a file of N declarations that misnames each of them would cost N² (hours,
 * for a few MB); here each file has a budget of work, and once it is spent that file's
 * diagnostics come without suggestions. No hand-written file comes near it: only its first
 * hundred or so diagnostics are shown anyway.
 */
import { didYouMeanText, rankCandidates } from "./suggest.js";

/** Work per file, in distance-table cells (`rankCandidates`): a quarter second at most. */
export const HINT_BUDGET = 5_000_000;

export class Hints {
  private readonly spent = new Map<string, number>();

  constructor(private readonly budget = HINT_BUDGET) {}

  /** A suggestion for `name` among the candidates, charged to `file`; undefined once its budget is spent (the candidates are then not listed). */
  didYouMean(file: string, name: string, candidates: () => Iterable<string>): string | undefined {
    const spent = this.spent.get(file) ?? 0;
    if (spent >= this.budget) return undefined;
    const r = rankCandidates(name, candidates());
    this.spent.set(file, spent + r.cost);
    return didYouMeanText(r.names);
  }
}
