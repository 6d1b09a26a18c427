/**
 * `seer run` on a terminal: a listr2 task tree, one task per stage that runs, each with a
 * progress bar, its percentage and an ETA from the stage's own rate, and its latest log line.
 * Cached stages are summed up in one line before the tree. The plain timestamped lines
 * (run-progress.ts) are used whenever stderr is not a terminal, or in CI.
 */
import { Listr, type ListrTaskWrapper } from "listr2";
import type { Stage } from "../../../contract/graph.js";
import { printable } from "../../../core/diagnostics/printable.js";
import type { Decision } from "../../../runtime/exec/plan.js";
import type { StageResult } from "../../../runtime/exec/scheduler.js";
import { planLine, summaryLines, type ProgressView } from "./run-progress.js";

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Slot {
  started: Deferred<void>;
  /** The stage's result; null when the run ended without one (an error before the stage ran). */
  done: Deferred<StageResult | null>;
  startedAt: number;
  fraction: number;
  text: string;
  lastLog: string;
  // listr2's wrapper type is deeply generic; only `output` and `title` are used here.
  task: ListrTaskWrapper<unknown, never, never> | null;
}

const BAR = 24;

/** `█████░░░ 52%  ETA 31 s  step 78/150`. */
export function progressLine(fraction: number, elapsedS: number, text: string): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * BAR);
  const eta = f > 0.01 ? ` ETA ${formatSeconds((elapsedS * (1 - f)) / f)}` : "";
  return `${"█".repeat(full)}${"░".repeat(BAR - full)} ${String(Math.round(f * 100)).padStart(3)}%${eta}${text ? `  ${text}` : ""}`;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function ttyProgressView(plan: readonly Decision[]): ProgressView {
  const slots = new Map<string, Slot>();
  for (const d of plan) {
    if (d.action !== "run") continue;
    slots.set(d.stage.name, { started: deferred(), done: deferred(), startedAt: 0, fraction: 0, text: "", lastLog: "", task: null });
  }
  const render = (s: Slot) => {
    if (!s.task) return;
    const bar = progressLine(s.fraction, (performance.now() - s.startedAt) / 1000, s.text);
    s.task.output = s.lastLog ? `${bar}\n${s.lastLog}` : bar;
  };
  let running: Promise<unknown> = Promise.resolve();
  const close = async () => {
    for (const s of slots.values()) s.done.resolve(null); // a no-op for stages that reported
    await running;
  };
  return {
    events: {
      start: (st: Stage) => {
        const s = slots.get(st.name);
        if (!s) return;
        s.startedAt = performance.now();
        s.started.resolve();
      },
      progress: (st, fraction, text) => {
        const s = slots.get(st.name);
        if (!s) return;
        s.fraction = fraction;
        s.text = text ?? "";
        render(s);
      },
      log: (st, line) => {
        const s = slots.get(st.name);
        if (!s) return;
        s.lastLog = printable(line);
        render(s);
      },
      done: (r: StageResult) => slots.get(r.stage.name)?.done.resolve(r),
    },
    plan: () => {
      process.stderr.write(`${planLine(plan)}\n`);
      const tasks = plan
        .filter((d) => slots.has(d.stage.name))
        .map((d) => ({
          title: `${d.stage.name} (${d.stage.kind}): waiting for its inputs`,
          rendererOptions: { persistentOutput: false, outputBar: 2 },
          task: async (_: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
            const s = slots.get(d.stage.name)!;
            const first = await Promise.race([s.started.promise.then(() => null), s.done.promise]);
            if (first === null) {
              s.task = task;
              task.title = `${d.stage.name} (${d.stage.kind})`;
              render(s);
            }
            const r = await s.done.promise;
            if (r === null) {
              task.skip(`${d.stage.name}: not run`);
              return;
            }
            if (r.status === "failed") throw new Error(`${d.stage.name}: ${printable(r.error ?? "failed")}`);
            if (r.status === "skipped") {
              task.skip(`${d.stage.name}: skipped (${printable(r.error ?? "not run")})`);
              return;
            }
            task.title = `${d.stage.name} (${d.stage.kind}): done in ${r.seconds.toFixed(1)} s`;
          },
        }));
      const listr = new Listr(tasks as never, {
        concurrent: true,
        exitOnError: false,
        registerSignalListeners: false,
        renderer: "default",
        rendererOptions: { collapseSubtasks: false, collapseSkips: false, showErrorMessage: true },
      });
      // Failures are reported through the tree and the summary; the run's exit code comes from the results.
      running = listr.run().catch(() => undefined);
    },
    finish: async (results, where) => {
      await close();
      for (const l of summaryLines(results, where)) process.stderr.write(`${l}\n`);
    },
    close,
  };
}
