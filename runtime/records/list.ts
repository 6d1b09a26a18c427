/**
 * The runs in a runs directory, newest first, summarised for `seer runs`. A run directory
 * whose record cannot be read is listed as "unreadable" (with the reason); one with no record
 * yet, named like a run id, as "incomplete" (still running, or killed before its end).
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { RecordError } from "./errors.js";
import { RECORD_FILES, type RunRecord } from "./record.js";
import { runIdTime, RUN_ID_PATTERN } from "./run-id.js";
import { readRecord } from "./store.js";

export type RunListStatus = RunRecord["status"] | "unreadable" | "incomplete";

export interface Headline {
  suite: string;
  row: string;
  metric: string;
  value: number;
}

export interface RunSummary {
  run_id: string;
  /** The run directory. */
  dir: string;
  status: RunListStatus;
  created: string | null;
  /** The recipe file, relative to its project. */
  recipe: string | null;
  /** Wall-clock seconds from `created` to `finished`. */
  seconds: number | null;
  stages: { ran: number; cached: number; failed: number; skipped: number };
  /** The first metric of each row of the first suite. */
  headline: Headline[];
  /** Why the record is unreadable. */
  error?: string;
}

/** Newest first; [] when `runsDir` does not exist. */
export function listRuns(runsDir: string): RunSummary[] {
  let entries;
  try {
    entries = readdirSync(runsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const runs: RunSummary[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const dir = path.join(runsDir, e.name);
    if (RECORD_FILES.some((f) => existsSync(path.join(dir, f)))) runs.push(readSummary(dir, e.name));
    else if (RUN_ID_PATTERN.test(e.name)) runs.push(emptySummary(dir, e.name, "incomplete"));
  }
  const time = (r: RunSummary) => Date.parse(r.created ?? runIdTime(r.run_id) ?? "") || 0;
  return runs.sort((x, y) => time(y) - time(x) || (x.run_id < y.run_id ? 1 : x.run_id > y.run_id ? -1 : 0));
}

export function summarizeRecord(r: RunRecord, dir: string): RunSummary {
  const count = (s: string) => r.stages.filter((x) => x.status === s).length;
  const seconds = (Date.parse(r.finished) - Date.parse(r.created)) / 1000;
  const [suite, rows] = Object.entries(r.metrics)[0] ?? [];
  const headline = Object.entries(rows ?? {}).flatMap(([row, metrics]) => {
    const [metric, value] = Object.entries(metrics)[0] ?? [];
    return suite !== undefined && metric !== undefined && value !== undefined ? [{ suite, row, metric, value }] : [];
  });
  return {
    run_id: r.run_id,
    dir,
    status: r.status,
    created: r.created,
    recipe: r.recipe.file,
    seconds: Number.isFinite(seconds) ? seconds : null,
    stages: { ran: count("ran"), cached: count("cached"), failed: count("failed"), skipped: count("skipped") },
    headline,
  };
}

function readSummary(dir: string, name: string): RunSummary {
  try {
    return summarizeRecord(readRecord(dir), dir);
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    return { ...emptySummary(dir, name, "unreadable"), error: e.message };
  }
}

function emptySummary(dir: string, name: string, status: RunListStatus): RunSummary {
  return { run_id: name, dir, status, created: null, recipe: null, seconds: null, stages: { ran: 0, cached: 0, failed: 0, skipped: 0 }, headline: [] };
}
