/**
 * A run's failed stages as structured facts (which stage, where it comes from in the recipe,
 * the host, the cause, its log), for the CLI to render as diagnostics (SEER6002 a stage failed,
 * SEER6003 no host can run it). Stages that failed because the run was cancelled under them
 * are not failures of their own.
 */
import type { Stage } from "../../contract/graph.js";
import type { StageResult } from "../exec/scheduler.js";
import type { StageLogs } from "./logs.js";

export interface StageFailure {
  stage: string;
  kind: Stage["kind"];
  /** The declaration the stage comes from. */
  source: Stage["source"];
  /** `error`: the stage's work failed (after its retries); `unplaceable`: no host can run it. */
  reason: "error" | "unplaceable";
  /** The host it failed on (`local`: this machine). */
  host: string;
  /** What went wrong (the error's message). */
  cause: string;
  attempts: number;
  /** The stage's log in the run folder, when it wrote one. */
  log: string | null;
}

export function stageFailures(results: ReadonlyMap<string, StageResult>, logs: StageLogs): StageFailure[] {
  return [...results.values()]
    .filter((r) => r.status === "failed" && r.failure !== "cancelled")
    .map((r) => ({
      stage: r.stage.name,
      kind: r.stage.kind,
      source: r.stage.source,
      reason: r.failure === "unplaceable" ? "unplaceable" : "error",
      host: r.host ?? "local",
      cause: r.error ?? "failed",
      attempts: r.attempts ?? 1,
      log: logs.logOf(r.stage.name),
    }));
}
