/** Exit codes (stable, documented in docs/cli.md; they live in core/exit.ts) and the usage-error type. */
export { EXIT } from "../../core/exit.js";

/** A problem with how seer was invoked (bad flag, missing file): exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly help?: string,
  ) {
    super(message);
  }
}
