/**
 * Collapse detection: a SwAV model whose codes or predictions have collapsed to uniform sits at
 * loss = ln K (8.006 for K = 3000). The detector warns once when the loss has stayed within
 * `tolerance` of ln K for `patience` consecutive steps, and again only after it has left that
 * band and come back for another `patience` steps.
 */

export interface CollapseOptions {
  prototypes: number;
  /** Absolute distance to ln K that counts as collapsed. Default 0.01. */
  tolerance?: number;
  /** Consecutive collapsed steps before warning. Default 100. */
  patience?: number;
  warn: (message: string) => void;
}

export class CollapseDetector {
  private readonly lnK: number;
  private readonly tolerance: number;
  private readonly patience: number;
  private streak = 0;
  private warned = false;

  constructor(private readonly opts: CollapseOptions) {
    this.lnK = Math.log(opts.prototypes);
    this.tolerance = opts.tolerance ?? 0.01;
    this.patience = opts.patience ?? 100;
  }

  /** Records the loss of `step`; returns true when this call warned. */
  observe(loss: number, step: number): boolean {
    if (Math.abs(loss - this.lnK) > this.tolerance) {
      this.streak = 0;
      this.warned = false;
      return false;
    }
    this.streak++;
    if (this.warned || this.streak < this.patience) return false;
    this.warned = true;
    this.opts.warn(
      `SwAV loss has stayed at ln K = ${this.lnK.toFixed(3)} (±${this.tolerance}) for ${this.streak} steps (step ${step}): ` +
        "the codes may have collapsed; try a lower sinkhorn epsilon (0.03), freezing the prototypes longer, or a head without BN.",
    );
    return true;
  }
}
