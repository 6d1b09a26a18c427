/**
 * Each stage that a run starts has a log in the run folder, `logs/<stage name>.log` (the name's
 * `/` as folders: `logs/pretrain/swav_tiny.log`): timestamped lines for its start, everything
 * it logged (from whichever host ran it), each failed attempt, and how it ended. A failed
 * stage's diagnostic points there.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { SchedulerEvents, StageResult } from "../exec/scheduler.js";

export class StageLogs {
  private readonly written = new Set<string>();

  constructor(readonly dir: string) {}

  /** The log file of a stage (whether or not it has been written). */
  fileOf(stage: string): string {
    const parts = stage.split("/").map((p) => (/^\.*$/.test(p) ? p.replace(/\./g, "_") || "_" : p));
    return `${path.join(this.dir, ...parts)}.log`;
  }

  /** The log file of a stage that wrote one, else null. */
  logOf(stage: string): string | null {
    return this.written.has(stage) ? this.fileOf(stage) : null;
  }

  append(stage: string, line: string): void {
    const file = this.fileOf(stage);
    if (!this.written.has(stage)) mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, `[${new Date().toISOString()}] ${line}\n`);
    this.written.add(stage);
  }

  /** `events`, with every stage's start, log lines and end also written to its log. */
  wrap(events: SchedulerEvents): SchedulerEvents {
    return {
      ...events,
      start: (s) => {
        this.append(s.name, `started (${s.kind})`);
        events.start?.(s);
      },
      log: (s, line) => {
        this.append(s.name, line);
        events.log?.(s, line);
      },
      done: (r) => {
        const end = ending(r);
        if (end !== undefined) this.append(r.stage.name, end);
        events.done?.(r);
      },
    };
  }
}

/** The last line of a stage's log; undefined for stages that never started (cached, skipped). */
function ending(r: StageResult): string | undefined {
  const where = r.host ? ` on ${r.host}` : "";
  if (r.status === "ran") return `done in ${r.seconds.toFixed(1)} s${where}`;
  if (r.status !== "failed") return undefined;
  return r.failure === "unplaceable" ? `not started: ${r.error}` : `failed${where}${r.attempts ? ` (attempt ${r.attempts})` : ""}: ${r.error}`;
}
