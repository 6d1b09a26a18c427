/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: the first cancels (no new stage starts; running ones
 * stop at their next step, a pretraining saves a checkpoint first), the second exits 130 at once.
 */
import { EXIT } from "../../core/exit.js";

export const CANCELLING = "cancelling: running stages stop at their next step (pretraining saves a checkpoint); press Ctrl-C again to quit at once";

/** Installs the handlers; returns the function that removes them. `notice` shows the cancelling line. */
export function onInterrupt(abort: AbortController, notice: (line: string) => void): () => void {
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(EXIT.cancelled);
    notice(CANCELLING);
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
