/** Exit codes (stable, documented in docs/cli.md) and the usage-error type. */
export const EXIT = { ok: 0, recipeErrors: 1, usage: 2, runtime: 3, internal: 70 } as const;

/** A problem with how seer was invoked (bad flag, missing file): exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly help?: string,
  ) {
    super(message);
  }
}
