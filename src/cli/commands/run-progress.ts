/**
 * What `seer run` prints while it works, on stderr. On a terminal (and not in CI): a listr2 task
 * tree with progress bars (run-progress-tty.ts). Otherwise: the plan, then timestamped lines as
 * stages start, report progress (every 10%) and finish, then a summary.
 */
import type { Stage } from "../../../contract/graph.js";
import { printable } from "../../../core/diagnostics/printable.js";
import type { Decision } from "../../../runtime/exec/plan.js";
import type { SchedulerEvents, StageResult } from "../../../runtime/exec/scheduler.js";

const stamp = () => new Date().toISOString().slice(11, 19);
/** One timestamped line; stage log text (file names, remote output) cannot drive the terminal. */
const line = (s: string) => process.stderr.write(`[${stamp()}] ${printable(s)}\n`);

export interface ProgressView {
  events: SchedulerEvents;
  plan(): void;
  finish(results: ReadonlyMap<string, StageResult>, where: { runDir: string; report: string | null }): void | Promise<void>;
  /** Stops drawing (idempotent); `seer run` calls it on every way out, errors included. */
  close(): Promise<void>;
}

/** `27 stages: 9 to run, 18 cached`. */
export function planLine(plan: readonly Decision[]): string {
  const run = plan.filter((d) => d.action === "run").length;
  return `${plan.length} stages: ${run} to run, ${plan.length - run} cached`;
}

/** The closing summary: counts by status, the record, the report. */
export function summaryLines(results: ReadonlyMap<string, StageResult>, where: { runDir: string; report: string | null }): string[] {
  const count = (st: string) => [...results.values()].filter((r) => r.status === st).length;
  const lines = [`finished: ${count("ran")} ran, ${count("cached")} cached, ${count("failed")} failed, ${count("skipped")} skipped; record ${where.runDir}/record.json`];
  if (where.report) lines.push(`report: ${where.report}`);
  return lines;
}

/** The task tree on an interactive terminal, plain lines anywhere else (pipes, files, CI). */
export async function chooseProgressView(plan: readonly Decision[]): Promise<ProgressView> {
  const env = process.env;
  const tty = process.stderr.isTTY === true && !env["CI"] && env["TERM"] !== "dumb" && env["SEER_PROGRESS"] !== "plain";
  if (!tty) return progressView(plan);
  const { ttyProgressView } = await import("./run-progress-tty.js");
  return ttyProgressView(plan);
}

function progressView(plan: readonly Decision[]): ProgressView {
  const lastTenth = new Map<string, number>();
  const events: SchedulerEvents = {
    start: (s: Stage) => line(`${s.name}: started`),
    progress: (s, f, text) => {
      const tenth = Math.floor(f * 10);
      if (tenth === lastTenth.get(s.name)) return;
      lastTenth.set(s.name, tenth);
      line(`${s.name}: ${Math.round(f * 100)}%${text ? ` (${text})` : ""}`);
    },
    log: (s, l) => line(`${s.name}: ${l}`),
    done: (r: StageResult) => {
      if (r.status === "cached") return;
      if (r.status === "ran") line(`${r.stage.name}: done in ${r.seconds.toFixed(1)} s`);
      else if (r.status === "failed") line(`${r.stage.name}: FAILED: ${r.error}`);
      else if (r.error !== "not selected") line(`${r.stage.name}: skipped (${r.error})`);
    },
  };
  return {
    events,
    plan: () => line(planLine(plan)),
    finish: (results, where) => summaryLines(results, where).forEach(line),
    close: async () => undefined,
  };
}
