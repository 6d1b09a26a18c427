/**
 * A stage's life in a run, as a state machine that `runPlan` (scheduler.ts) drives:
 *
 *   pending --ready-------> ready --start--> running --succeed--> done
 *      |  \--hit--> cached    |                 |  \---fail-----> failed
 *      |                      |--unplaceable--> failed
 *      |                      |                 '--retry--> retrying --requeue--> ready
 *      |--input-failed-->  skipped
 *      |--deselect------>  skipped
 *      '--stop---------->  skipped   <--stop-- ready
 *
 * `done`, `cached`, `failed` and `skipped` are final. Pure: no I/O, no clock. A transition the
 * table does not hold throws (a bug in the scheduler, never a user error). The external result
 * (`StageResult.status`, records, reports) keeps `ran | cached | failed | skipped`.
 */

export const STAGE_STATES = ["pending", "ready", "running", "retrying", "done", "cached", "failed", "skipped"] as const;
export type StageState = (typeof STAGE_STATES)[number];

export const STAGE_EVENTS = ["ready", "hit", "input-failed", "deselect", "stop", "start", "unplaceable", "succeed", "fail", "retry", "requeue"] as const;
/**
 * `ready`: every input is done or cached and the stage must run. `hit`: the same, and its output
 * is in the store. `input-failed`: an input failed or was skipped. `deselect`: not in `--only`.
 * `stop`: the run ends before the stage started (cancelled, or fail-fast after a failure).
 * `start`: placed and started. `unplaceable`: no host can ever take it. `succeed`: published.
 * `fail`: failed with no attempt left. `retry`: failed, and will be tried again after a
 * backoff. `requeue`: the backoff is over.
 */
export type StageEvent = (typeof STAGE_EVENTS)[number];

const TRANSITIONS: Readonly<Record<StageState, Partial<Record<StageEvent, StageState>>>> = {
  pending: { ready: "ready", hit: "cached", "input-failed": "skipped", deselect: "skipped", stop: "skipped" },
  ready: { start: "running", unplaceable: "failed", stop: "skipped" },
  running: { succeed: "done", fail: "failed", retry: "retrying" },
  retrying: { requeue: "ready" },
  done: {},
  cached: {},
  failed: {},
  skipped: {},
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly state: StageState,
    readonly event: StageEvent,
    readonly stage?: string,
  ) {
    super(`${stage ? `${stage}: ` : ""}no transition from \`${state}\` on \`${event}\``);
    this.name = "IllegalTransitionError";
  }
}

/** The state after `event`; throws `IllegalTransitionError` when the event is not allowed in `state`. */
export function transition(state: StageState, event: StageEvent, stage?: string): StageState {
  const next = TRANSITIONS[state][event];
  if (next === undefined) throw new IllegalTransitionError(state, event, stage);
  return next;
}

/** Every legal transition, as `[from, event, to]` (for tests and docs). */
export function legalTransitions(): [StageState, StageEvent, StageState][] {
  return STAGE_STATES.flatMap((from) =>
    STAGE_EVENTS.flatMap((event): [StageState, StageEvent, StageState][] => {
      const to = TRANSITIONS[from][event];
      return to === undefined ? [] : [[from, event, to]];
    }),
  );
}

export function isFinal(state: StageState): boolean {
  return STAGE_EVENTS.every((e) => TRANSITIONS[state][e] === undefined);
}

/** A final state published an output that downstream stages can read. */
export function isPublished(state: StageState): boolean {
  return state === "done" || state === "cached";
}

/** A final state downstream stages cannot run after. */
export function isBlocking(state: StageState): boolean {
  return state === "failed" || state === "skipped";
}

/** The states of a plan's stages, moved only through `transition`. */
export class StageStates {
  private readonly states = new Map<string, StageState>();

  constructor(names: Iterable<string>) {
    for (const n of names) this.states.set(n, "pending");
  }

  get(name: string): StageState {
    const s = this.states.get(name);
    if (s === undefined) throw new Error(`no stage named ${name} in this run`);
    return s;
  }

  move(name: string, event: StageEvent): StageState {
    const next = transition(this.get(name), event, name);
    this.states.set(name, next);
    return next;
  }
}
