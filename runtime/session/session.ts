/**
 * A run session: a prepared graph (prepare.ts) run to the end. Takes the project lock, installs
 * the Ctrl-C handlers, sets up the hosts, runs the scheduler, remembers what was published,
 * writes the run record and copies the report into `runs/<run-id>/`, then releases everything
 * on every way out. It prints nothing: progress goes to `events`, and the outcome says what
 * happened (exit code, run folder, record, each stage's result, the failures).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Stage } from "../../contract/graph.js";
import { EXIT } from "../../core/exit.js";
import { runsOnEngine } from "../engines/engine.js";
import { acquireLock, LockedError, type Lock } from "../exec/lock.js";
import { describeHolder } from "../exec/lock-holder.js";
import { runPlan, type SchedulerEvents, type StageResult } from "../exec/scheduler.js";
import type { Inventory } from "../hosts/inventory.js";
import { gitInfo } from "../records/git.js";
import type { RunRecord } from "../records/record.js";
import { newRunId } from "../records/run-id.js";
import { writeRecord } from "../records/store.js";
import { stageFailures, type StageFailure } from "./failures.js";
import { setupHosts } from "./hosts.js";
import { StageLogs } from "./logs.js";
import type { Prepared } from "./prepare.js";
import { buildRecord, type RecipeFacts } from "./record.js";
import { rememberPublished } from "./remember.js";
import { copyReport } from "./report-copy.js";
import { selectStages } from "./selection.js";
import { onInterrupt } from "./signals.js";

export interface SessionEvents extends SchedulerEvents {
  /** The hosts are up and the first stage is about to start. */
  ready?(): void;
  /** A line for the user outside any stage (the first Ctrl-C); on stderr when absent. */
  notice?(line: string): void;
}

export interface SessionOptions {
  recipe: RecipeFacts;
  /** This seer's version. */
  seer: string;
  /** The installed seer package (workers, and the copy installed on remote hosts). */
  packageRoot: string;
  /** The bundled data-loader worker, when running from the CLI bundle. */
  workerUrl?: URL;
  /** A stage's estimated peak memory, for placement on hosts that state theirs. */
  memoryOf?(stage: Stage): number | undefined;
  /** Whether a stage fits in each device of the accelerator `hardware` (hosts that name their `hardware`). */
  fitsDevice?(stage: Stage, hardware: string): boolean | undefined;
  /** The hosts inventory (`--hosts`); without it, this machine. */
  inventory?: Inventory;
  /** Stages at once (`--jobs`); default 1 on this machine, every host's slots with an inventory. */
  jobs?: number;
  /** Attempts after the first for a failed stage. */
  retries: number;
  /** Start nothing new after a failure. */
  failFast: boolean;
  /** `--only`: stage names, prefixes or declarations (and what they need); empty: every stage. Throws `SelectionError` for one that matches nothing. */
  only: readonly string[];
  /** Where run folders go (`runs`). */
  runsDir: string;
  /** The command line, for the record. */
  argv: string[];
  events?: SessionEvents;
}

export type SessionOutcome =
  | {
      /** The run did not start: why (stages this host cannot run, another run holds the lock), one line each. */
      refused: string[];
      code: number;
    }
  | {
      code: number;
      status: RunRecord["status"];
      runDir: string;
      record: RunRecord;
      results: ReadonlyMap<string, StageResult>;
      /** The report's HTML file in the run folder, if any. */
      report: string | null;
      failures: StageFailure[];
      /** Each started stage's log file, by stage name. */
      logs: ReadonlyMap<string, string>;
    };

export async function runSession(p: Prepared, o: SessionOptions): Promise<SessionOutcome> {
  if (!o.inventory && p.infeasible.length > 0) return { refused: p.infeasible, code: EXIT.runtime };
  const selected = selectStages(p.graph, o.only);
  let lock: Lock;
  try {
    lock = acquireLock(path.join(p.store.root, "lock"));
  } catch (e) {
    if (e instanceof LockedError) return { refused: [e.message], code: EXIT.runtime };
    throw e;
  }
  p.store.sweepTemp();
  const events = o.events ?? {};
  if (lock.tookOver) events.notice?.(`took over a stale project lock (${describeHolder(lock.tookOver)}: no longer running)`);
  const runId = newRunId();
  const runDir = path.join(o.runsDir, runId);
  const created = new Date();
  const abort = new AbortController();
  const removeSignals = onInterrupt(abort, events.notice ?? ((line) => void process.stderr.write(`\n${line}\n`)));
  const logs = new StageLogs(path.join(runDir, "logs"));
  const stageEvents = logs.wrap(events);
  const git = gitInfo(p.baseDir);
  // The scheduler's live results, for a report's provenance while the run is still going.
  let results: ReadonlyMap<string, StageResult> = new Map();
  let closeHosts: (() => Promise<void>) | undefined;
  try {
    const { close, ...hosts } = await setupHosts({
      p,
      ...(o.inventory ? { inventory: o.inventory } : {}),
      ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
      retries: o.retries,
      runId,
      seer: o.seer,
      packageRoot: o.packageRoot,
      ...(o.workerUrl ? { workerUrl: o.workerUrl } : {}),
      ...(o.memoryOf ? { memoryOf: o.memoryOf } : {}),
      ...(o.fitsDevice ? { fitsDevice: o.fitsDevice } : {}),
      note: (stage, line) => stageEvents.log?.(stage, line),
      provenance: () => ({
        runId,
        recipe: o.recipe.file,
        seer: o.seer,
        node: process.version,
        tfjs: p.backend.info.tfjsVersion,
        ...(p.engine.torch && p.plan.some((d) => runsOnEngine(d.stage, p.engine.choice.name) === "torch") ? { torch: p.engine.torch.torch } : {}),
        git: git ? { commit: git.commit, dirty: git.dirty } : null,
        stages: p.plan.map((d) => {
          const r = results.get(d.stage.name);
          return { name: d.stage.name, kind: d.stage.kind, engine: runsOnEngine(d.stage, p.engine.choice.name), id: d.key, status: r?.status ?? "ran", seconds: r?.seconds ?? 0, host: r?.host ?? "local" };
        }),
      }),
    });
    closeHosts = close;
    events.ready?.();
    const out = await runPlan(p.plan, {
      store: p.store,
      failFast: o.failFast,
      accelerators: 1,
      ...(selected ? { selected } : {}),
      signal: abort.signal,
      events: stageEvents,
      onResults: (r) => (results = r),
      ...hosts,
    });
    rememberPublished(p, out, o.seer);
    const status = abort.signal.aborted ? "cancelled" : [...out.values()].some((r) => r.status === "failed") ? "failed" : "succeeded";
    mkdirSync(runDir, { recursive: true });
    const reportFile = copyReport(out, runDir);
    const record = buildRecord({ p, recipe: o.recipe, seer: o.seer, runId, created, status, results: out, git, argv: o.argv, report: reportFile });
    writeRecord(runDir, record);
    const code = status === "succeeded" ? EXIT.ok : status === "cancelled" ? EXIT.cancelled : EXIT.runtime;
    const logFiles = new Map(p.plan.flatMap((d): [string, string][] => {
      const f = logs.logOf(d.stage.name);
      return f ? [[d.stage.name, f]] : [];
    }));
    return { code, status, runDir, record, results: out, report: reportFile ? path.join(runDir, reportFile) : null, failures: stageFailures(out, logs), logs: logFiles };
  } finally {
    removeSignals();
    await closeHosts?.();
    lock.release();
  }
}
