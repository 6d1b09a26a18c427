/**
 * The stage state machine (runtime/exec/stage-state.ts): every legal transition, every other
 * one refused; then `runPlan` driving it through the real store, with executors defined here:
 * a failure skips what is downstream, a retry then success, fail-fast, cancellation, a cache
 * hit, a stage no host can take, and `--only`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Stage } from "../../contract/graph.js";
import type { Decision } from "../../runtime/exec/plan.js";
import { runPlan, type ScheduleOptions, type StageResult } from "../../runtime/exec/scheduler.js";
import { IllegalTransitionError, isFinal, legalTransitions, STAGE_EVENTS, STAGE_STATES, StageStates, transition, type StageEvent, type StageState } from "../../runtime/exec/stage-state.js";
import { Store } from "../../runtime/exec/store.js";

const LEGAL: [StageState, StageEvent, StageState][] = [
  ["pending", "ready", "ready"],
  ["pending", "hit", "cached"],
  ["pending", "input-failed", "skipped"],
  ["pending", "deselect", "skipped"],
  ["pending", "stop", "skipped"],
  ["ready", "stop", "skipped"],
  ["ready", "start", "running"],
  ["ready", "unplaceable", "failed"],
  ["running", "succeed", "done"],
  ["running", "fail", "failed"],
  ["running", "retry", "retrying"],
  ["retrying", "requeue", "ready"],
];

const key = (t: [StageState, StageEvent, StageState]) => t.join(" ");

test("stage states: exactly the legal transitions, each to its state", () => {
  assert.deepEqual(legalTransitions().map(key).sort(), LEGAL.map(key).sort());
  for (const [from, event, to] of LEGAL) assert.equal(transition(from, event), to, `${from} --${event}-->`);
});

test("stage states: every other (state, event) pair is refused, and final states accept nothing", () => {
  const legal = new Set(LEGAL.map(([from, event]) => `${from} ${event}`));
  let refused = 0;
  for (const state of STAGE_STATES) {
    for (const event of STAGE_EVENTS) {
      if (legal.has(`${state} ${event}`)) continue;
      assert.throws(() => transition(state, event, "s/x"), (e: unknown) => e instanceof IllegalTransitionError && e.state === state && e.event === event && e.message === `s/x: no transition from \`${state}\` on \`${event}\``);
      refused++;
    }
  }
  assert.equal(refused, STAGE_STATES.length * STAGE_EVENTS.length - LEGAL.length);
  assert.deepEqual(STAGE_STATES.filter(isFinal), ["done", "cached", "failed", "skipped"]);
});

test("stage states: a plan's states start pending and move only by transitions", () => {
  const s = new StageStates(["a", "b"]);
  assert.equal(s.get("a"), "pending");
  assert.equal(s.move("a", "ready"), "ready");
  assert.equal(s.move("a", "start"), "running");
  assert.throws(() => s.move("a", "ready"), IllegalTransitionError);
  assert.equal(s.get("a"), "running", "a refused transition changes nothing");
  assert.throws(() => s.get("c"), /no stage named c/);
});

// ---- runPlan through the real store ---------------------------------------------------

function stage(name: string, inputs: string[] = []): Stage {
  return { id: `sha256:${name}`, name, kind: "prepare-data", spec: { kind: "synthetic", name, dir: "", attributes: ["group"], generator: "shapes", images: 2, size: 8, classes: 2, groups: 1, shift: 0, seed: 0, splits: null }, inputs, resources: { gpus: 0, cpu: true }, source: { file: "t.seer", declaration: name } };
}

type Behave = (stage: Stage, attempt: number, signal: AbortSignal) => Promise<void> | void;

interface Ran {
  results: Map<string, StageResult>;
  /** Each stage's states in order, from `pending`. */
  paths: Map<string, StageState[]>;
  store: Store;
}

async function schedule(stages: Stage[], behave: Behave = () => undefined, o: Partial<ScheduleOptions> & { store?: Store; decide?: (s: Stage) => Decision } = {}): Promise<Ran> {
  const store = o.store ?? new Store(mkdtempSync(path.join(tmpdir(), "seer-states-")));
  const plan: Decision[] = stages.map((s) => o.decide?.(s) ?? { stage: s, key: s.name.replace(/\W/g, "_"), action: "run", reasons: ["new stage"] });
  const paths = new Map(stages.map((s): [string, StageState[]] => [s.name, ["pending"]]));
  const attempts = new Map<string, number>();
  const results = await runPlan(plan, {
    store,
    jobs: 1,
    failFast: false,
    accelerators: 1,
    signal: new AbortController().signal,
    ...o,
    events: { state: (s, st) => paths.get(s.name)!.push(st) },
    execute: async (s, ctx) => {
      const n = (attempts.get(s.name) ?? 0) + 1;
      attempts.set(s.name, n);
      await behave(s, n, ctx.signal);
      writeFileSync(path.join(ctx.out, "out.txt"), s.name);
    },
  });
  return { results, paths, store };
}

const statusOf = (r: Ran) => Object.fromEntries([...r.results].map(([n, x]) => [n, x.status]));

test("runPlan: a failure skips everything downstream; an independent stage still runs", async () => {
  const r = await schedule([stage("a"), stage("b", ["a"]), stage("c", ["b"]), stage("d")], (s) => {
    if (s.name === "a") throw new Error("disk full");
  });
  assert.deepEqual(statusOf(r), { a: "failed", b: "skipped", c: "skipped", d: "ran" });
  assert.equal(r.results.get("a")!.error, "disk full");
  assert.equal(r.results.get("a")!.failure, "error");
  assert.equal(r.results.get("b")!.error, "an input did not complete");
  assert.deepEqual(r.paths.get("a"), ["pending", "ready", "running", "failed"]);
  assert.deepEqual(r.paths.get("c"), ["pending", "skipped"]);
  assert.deepEqual(r.paths.get("d"), ["pending", "ready", "running", "done"]);
});

test("runPlan: a failed attempt is retried after its backoff, then succeeds", async () => {
  const r = await schedule([stage("f"), stage("g", ["f"])], (s, attempt) => {
    if (s.name === "f" && attempt === 1) throw new Error("flaky");
  }, { retry: (_s, attempt) => (attempt === 1 ? 10 : undefined) });
  assert.deepEqual(statusOf(r), { f: "ran", g: "ran" });
  assert.equal(r.results.get("f")!.attempts, 2);
  assert.deepEqual(r.paths.get("f"), ["pending", "ready", "running", "retrying", "ready", "running", "done"]);
});

test("runPlan: fail-fast starts nothing after a failure", async () => {
  const r = await schedule([stage("a"), stage("b"), stage("c", ["b"])], (s) => {
    if (s.name === "a") throw new Error("boom");
  }, { failFast: true });
  assert.deepEqual(statusOf(r), { a: "failed", b: "skipped", c: "skipped" });
  assert.equal(r.results.get("b")!.error, "not started after a failure");
  assert.deepEqual(r.paths.get("b"), ["pending", "ready", "skipped"]);
  assert.deepEqual(r.paths.get("c"), ["pending", "skipped"]);
});

test("runPlan: cancelling stops the running stage and starts nothing more", async () => {
  const abort = new AbortController();
  const r = await schedule([stage("long"), stage("after", ["long"]), stage("other")], async (s, _n, signal) => {
    if (s.name !== "long") return;
    setTimeout(() => abort.abort(), 20);
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
    throw new Error("cancelled at step 3");
  }, { signal: abort.signal, retry: () => 0 });
  assert.deepEqual(statusOf(r), { long: "failed", after: "skipped", other: "skipped" });
  assert.equal(r.results.get("long")!.failure, "cancelled", "no retry once cancelled");
  assert.equal(r.results.get("other")!.error, "cancelled");
  assert.deepEqual(r.paths.get("long"), ["pending", "ready", "running", "failed"]);
});

test("runPlan: a published output is a cache hit; a stage no host can take fails; --only skips the rest", async () => {
  const first = await schedule([stage("a"), stage("b", ["a"])]);
  const cached = await schedule([stage("a"), stage("b", ["a"]), stage("big", ["a"]), stage("x")], undefined, {
    store: first.store,
    selected: new Set(["a", "b", "big"]),
    decide: (s) => {
      const k = s.name.replace(/\W/g, "_");
      const found = first.store.lookup(k);
      return found.state === "ok" ? { stage: s, key: k, action: "cached", reasons: [], published: found.published } : { stage: s, key: k, action: "run", reasons: ["new stage"] };
    },
    place: (s) => (s.name === "big" ? "no host in the inventory has 8 GPU(s)" : { host: "h", release: () => undefined }),
  });
  assert.deepEqual(statusOf(cached), { a: "cached", b: "cached", big: "failed", x: "skipped" });
  assert.deepEqual(cached.paths.get("a"), ["pending", "cached"]);
  assert.deepEqual(cached.paths.get("big"), ["pending", "ready", "failed"]);
  assert.equal(cached.results.get("big")!.failure, "unplaceable");
  assert.equal(cached.results.get("x")!.error, "not selected");
  assert.equal(cached.results.get("b")!.digest, first.results.get("b")!.digest);
});
