/**
 * Runs a plan: stages in dependency order, cached ones taken from the store, independent ones
 * concurrently (up to `jobs`, and one training stage per accelerator or CPU pool), each
 * stage's outputs published atomically when it succeeds. A failure skips everything
 * downstream; with `failFast` nothing new starts after it. Aborting stops new stages and
 * asks running ones to stop (pretraining saves a checkpoint first). Each stage moves through
 * the states of stage-state.ts (pending, ready, running, retrying, then done, cached, failed
 * or skipped), only by its transitions.
 */
import { rmSync } from "node:fs";
import type { Stage } from "../../contract/graph.js";
import { isTrainingKind } from "../../contract/kinds.js";
import type { InputStage, StageContext } from "./executors/context.js";
import type { Decision } from "./plan.js";
import { isBlocking, isFinal, isPublished, StageStates, type StageEvent, type StageState } from "./stage-state.js";
import type { ExpectedFiles, Store } from "./store.js";

export type StageStatus = "ran" | "cached" | "failed" | "skipped";

export interface StageResult {
  stage: Stage;
  key: string;
  status: StageStatus;
  seconds: number;
  digest: string | null;
  started: string | null;
  finished: string | null;
  error?: string;
  dir?: string;
  /** The host that ran it (placement); absent: this machine. */
  host?: string;
  /** Attempts it took, when more than one. */
  attempts?: number;
  /** Why a `failed` stage failed: its work threw (`error`), no host can take it (`unplaceable`), or the run was cancelled under it (`cancelled`). */
  failure?: StageFailureKind;
}

export type StageFailureKind = "error" | "unplaceable" | "cancelled";

/** A ready stage's place on a host, held while it runs. */
export interface Placement {
  host: string;
  release(): void;
}

export interface SchedulerEvents {
  start?(stage: Stage): void;
  progress?(stage: Stage, fraction: number, text?: string): void;
  log?(stage: Stage, line: string): void;
  done?(r: StageResult): void;
  /** Every transition of a stage's state (stage-state.ts), after it happened. */
  state?(stage: Stage, state: StageState, event: StageEvent): void;
}

export interface ScheduleOptions {
  store: Store;
  jobs: number;
  failFast: boolean;
  /** Accelerators (or CPU pools) of this host: concurrent training stages. */
  accelerators: number;
  /** Stage names to run; others are `skipped` unless needed (the caller adds dependencies). */
  selected?: ReadonlySet<string>;
  signal: AbortSignal;
  events?: SchedulerEvents;
  /** Fills `ctx.out`; outputs copied from another host come with what it reported of them, checked as they are published. */
  execute(stage: Stage, ctx: Omit<StageContext, "tf" | "backend" | "engine" | "baseDir" | "provenance" | "upstream"> & { upstream: ReadonlyMap<string, KeyedInput> }, placement?: Placement): Promise<ExpectedFiles | void>;
  /** Receives the live results map once, before any stage starts (for a report's provenance). */
  onResults?(results: ReadonlyMap<string, StageResult>): void;
  /**
   * Where a ready stage runs (replaces the `accelerators` rule): a placement, undefined when no
   * host can take it now (it waits), or why no host ever can (it fails).
   */
  place?(stage: Stage, upstream: ReadonlyMap<string, KeyedInput>): Placement | string | undefined;
  /** After a failed attempt: milliseconds to wait before trying the stage again, or undefined to fail it. */
  retry?(stage: Stage, attempt: number, error: unknown): number | undefined;
}

/** A published input of a stage: its local folder and its cache key. */
export interface KeyedInput extends InputStage {
  key: string;
}

/** Stages that train: one at a time per accelerator (or CPU pool). */
export function isTraining(stage: Stage): boolean {
  return isTrainingKind(stage.kind);
}

export async function runPlan(plan: readonly Decision[], o: ScheduleOptions): Promise<Map<string, StageResult>> {
  const results = new Map<string, StageResult>();
  const published = new Map<string, KeyedInput>();
  const states = new StageStates(plan.map((d) => d.stage.name));
  const move = (d: Decision, event: StageEvent) => {
    const next = states.move(d.stage.name, event);
    o.events?.state?.(d.stage, next, event);
  };
  // Stages not started yet (pending or ready), in plan order; a stage tried again goes last.
  const waiting = new Map(plan.map((d) => [d.stage.name, d]));
  // Stages running or waiting out a retry's backoff: both hold a slot.
  const active = new Map<string, Promise<void>>();
  let training = 0;
  let stopped = false;
  o.onResults?.(results);

  /**
   * Tells a listener (progress view, stage logs). A listener that throws (its log file cannot be
   * written: a full disk) never changes a stage's state: the run stops starting stages, and the
   * first such error is thrown once the running ones have ended.
   */
  let listenerError: { error: unknown } | undefined;
  const tell = (f: () => void): void => {
    try {
      f();
    } catch (e) {
      listenerError ??= { error: e };
      stopped = true;
    }
  };

  /** Moves a stage to a final state and reports its result. */
  const finish = (d: Decision, event: StageEvent, r: Omit<StageResult, "stage" | "key">) => {
    move(d, event);
    waiting.delete(d.stage.name);
    const result: StageResult = { stage: d.stage, key: d.key, ...r };
    results.set(d.stage.name, result);
    if (result.dir && (result.status === "ran" || result.status === "cached")) published.set(d.stage.name, { stage: d.stage, dir: result.dir, key: d.key });
    tell(() => o.events?.done?.(result));
  };
  const skip = (d: Decision, event: StageEvent, why: string) => finish(d, event, { status: "skipped", seconds: 0, digest: null, started: null, finished: null, error: why });
  const upstreamOf = (s: Stage): Map<string, KeyedInput> => {
    const out = new Map<string, KeyedInput>();
    const walk = (name: string) => {
      if (out.has(name)) return;
      const p = published.get(name);
      if (!p) return;
      out.set(name, p);
      p.stage.inputs.forEach(walk);
    };
    s.inputs.forEach(walk);
    return out;
  };

  const attempts = new Map<string, number>();
  const start = (d: Decision, upstream: ReadonlyMap<string, KeyedInput>, placement?: Placement) => {
    move(d, "start");
    waiting.delete(d.stage.name);
    const trains = isTraining(d.stage);
    if (trains) training++;
    const attempt = (attempts.get(d.stage.name) ?? 0) + 1;
    attempts.set(d.stage.name, attempt);
    const started = new Date();
    tell(() => o.events?.start?.(d.stage));
    const out = o.store.tempDir();
    const work = o.store.workDir(d.key);
    const where = { ...(placement ? { host: placement.host } : {}), ...(attempt > 1 ? { attempts: attempt } : {}) };
    let again: number | undefined;
    const p = (async () => {
      try {
        const expect = await o.execute(d.stage, {
          stage: d.stage,
          key: d.key,
          upstream,
          out,
          work,
          log: (line) => o.events?.log?.(d.stage, line),
          progress: (f, t) => o.events?.progress?.(d.stage, f, t),
          signal: o.signal,
        }, placement);
        const seconds = (Date.now() - started.getTime()) / 1000;
        const pub = o.store.publish(out, { key: d.key, name: d.stage.name, kind: d.stage.kind, seconds }, expect ?? undefined);
        rmSync(work, { recursive: true, force: true });
        finish(d, "succeed", { status: "ran", seconds, digest: pub.manifest.digest, started: started.toISOString(), finished: new Date().toISOString(), dir: pub.dir, ...where });
      } catch (e) {
        o.store.discard(out);
        again = o.signal.aborted ? undefined : o.retry?.(d.stage, attempt, e);
        if (again !== undefined) {
          move(d, "retry");
          const line = `attempt ${attempt} failed${placement ? ` on ${placement.host}` : ""} (${e instanceof Error ? e.message : String(e)}); trying again in ${(again / 1000).toFixed(1)} s`;
          tell(() => o.events?.log?.(d.stage, line));
          return;
        }
        const seconds = (Date.now() - started.getTime()) / 1000;
        finish(d, "fail", { status: "failed", seconds, digest: null, started: started.toISOString(), finished: new Date().toISOString(), error: e instanceof Error ? e.message : String(e), failure: o.signal.aborted ? "cancelled" : "error", ...where });
        if (o.failFast) stopped = true;
      } finally {
        if (trains) training--;
        placement?.release();
        if (again === undefined) active.delete(d.stage.name);
      }
    })().then(async () => {
      if (again === undefined) return;
      // Back off (still holding its slot), then the stage is ready again, possibly for another host.
      await new Promise((resolve) => setTimeout(resolve, again));
      active.delete(d.stage.name);
      move(d, "requeue");
      waiting.set(d.stage.name, d);
    });
    active.set(d.stage.name, p);
  };

  /** Pending stages whose inputs have settled: skipped, cached or ready. True when one became final. */
  const settle = (): boolean => {
    let final = false;
    for (const d of [...waiting.values()]) {
      if (states.get(d.stage.name) !== "pending") continue;
      const inputs = d.stage.inputs.map((i) => states.get(i));
      if (inputs.some(isBlocking)) {
        skip(d, "input-failed", "an input did not complete");
        final = true;
      } else if (o.selected && !o.selected.has(d.stage.name)) {
        skip(d, "deselect", "not selected");
        final = true;
      } else if (inputs.every(isPublished)) {
        if (d.action === "cached" && d.published) {
          finish(d, "hit", { status: "cached", seconds: 0, digest: d.published.manifest.digest, started: null, finished: null, dir: d.published.dir });
          final = true;
        } else move(d, "ready");
      }
    }
    return final;
  };

  for (;;) {
    if (o.signal.aborted) stopped = true;
    let more = true;
    while (more) more = settle();
    if (!stopped) {
      for (const d of [...waiting.values()]) {
        if (active.size >= o.jobs) break;
        if (states.get(d.stage.name) !== "ready") continue;
        if (!o.place) {
          if (isTraining(d.stage) && training >= o.accelerators) continue;
          start(d, upstreamOf(d.stage));
          continue;
        }
        const upstream = upstreamOf(d.stage);
        const placement = o.place(d.stage, upstream);
        if (placement === undefined) continue;
        if (typeof placement === "string") {
          finish(d, "unplaceable", { status: "failed", seconds: 0, digest: null, started: null, finished: null, error: placement, failure: "unplaceable" });
          if (o.failFast) stopped = true;
          continue;
        }
        start(d, upstream, placement);
      }
    }
    if (active.size === 0) {
      if (waiting.size === 0 || stopped) break;
      // Nothing runs and nothing can start: the rest waits on something that will never finish.
      if (![...waiting.values()].some((d) => d.stage.inputs.every((i) => isFinal(states.get(i))))) break;
      continue;
    }
    await Promise.race(active.values());
  }
  for (const d of [...waiting.values()]) skip(d, "stop", o.signal.aborted ? "cancelled" : "not started after a failure");
  if (listenerError) throw listenerError.error;
  return results;
}
