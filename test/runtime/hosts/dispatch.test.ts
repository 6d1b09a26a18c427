/**
 * Placement and faults through the real scheduler and stage store, with hosts defined here
 * (each writes a small output, and can fail or go down on cue): resources, max_jobs, locality,
 * retries with backoff, and a host that goes down mid-stage.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Stage } from "../../../contract/graph.js";
import type { Decision } from "../../../runtime/exec/plan.js";
import { runPlan } from "../../../runtime/exec/scheduler.js";
import { Store } from "../../../runtime/exec/store.js";
import { Dispatcher } from "../../../runtime/hosts/dispatch.js";
import { HostDownError, StageFailedError, type Host, type StageRun } from "../../../runtime/hosts/host.js";

class TestHost implements Host {
  readonly kind = "ssh" as const;
  readonly held = new Set<string>();
  readonly ran: string[] = [];
  running = 0;
  peak = 0;
  constructor(
    readonly name: string,
    readonly capacity: Host["capacity"],
    private readonly behave: (job: StageRun, attempt: number) => Promise<void> | void = () => undefined,
  ) {}
  holds(key: string): boolean {
    return this.held.has(key);
  }
  async run(job: StageRun): Promise<void> {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      this.ran.push(job.stage.name);
      await new Promise((r) => setTimeout(r, 20));
      await this.behave(job, this.ran.filter((n) => n === job.stage.name).length);
      writeFileSync(path.join(job.out, "out.txt"), `${job.stage.name} on ${this.name}`);
      this.held.add(job.key);
    } finally {
      this.running--;
    }
  }
  async close(): Promise<void> {}
}

const cap = (maxJobs: number, gpus = 0) => ({ gpus, maxJobs, maxTraining: Math.max(1, gpus) });

function stage(name: string, inputs: string[] = [], gpus = 0): Stage {
  return { id: `sha256:${name}`, name, kind: "linear-eval", spec: { eval: name, row: "r", probe: { epochs: 1, batch: 8, optimizer: { kind: "sgd", lr: { resolved: 0.1, value: 0.1, per_images: null }, momentum: 0.9, nesterov: false, weight_decay: 0 }, schedule: { kind: "constant", warmup: { unit: "steps", value: 0 } }, seed: 0 }, inputs: { train: "t", test: "t" } }, inputs, resources: { gpus, cpu: true }, source: { file: "t.seer", declaration: name } };
}

async function runOn(hosts: Host[], stages: Stage[], o: { retries?: number; backoffMs?: number; fitsDevice?: (s: Stage, hardware: string) => boolean | undefined } = {}) {
  const store = new Store(mkdtempSync(path.join(tmpdir(), "seer-dispatch-")));
  const keys = new Map(stages.map((s) => [s.name, s.name.replace(/\W/g, "_")]));
  const notes: string[] = [];
  const d = new Dispatcher({ hosts, retries: o.retries ?? 0, backoffMs: o.backoffMs ?? 10, ...(o.fitsDevice ? { fitsDevice: o.fitsDevice } : {}), provenance: () => ({ runId: "r", recipe: "t", seer: "0", node: "v20", tfjs: "4", git: null, stages: [] }), note: (s, l) => notes.push(`${s.name}: ${l}`) });
  const plan: Decision[] = stages.map((s) => ({ stage: s, key: keys.get(s.name)!, action: "run", reasons: ["new stage"] }));
  const results = await runPlan(plan, { store, jobs: 8, failFast: false, accelerators: 1, signal: new AbortController().signal, place: d.place, retry: d.retry, execute: d.execute });
  return { results, store, notes, dispatcher: d };
}

test("placement: GPUs decide where a stage may go, and a stage no host can take fails with the reason", async () => {
  const small = new TestHost("small", cap(4, 0));
  const big = new TestHost("big", cap(4, 2));
  const { results } = await runOn([small, big], [stage("two", [], 2), stage("four", [], 4), stage("one")]);
  assert.equal(results.get("two")?.host, "big");
  assert.equal(results.get("one")?.host, "small");
  assert.equal(results.get("four")?.status, "failed");
  assert.match(results.get("four")?.error ?? "", /no host in the inventory has 4 GPU\(s\)/);
});

test("placement: a host that names its `hardware` takes only stages that fit its devices", async () => {
  const v100 = new TestHost("v100s", { ...cap(4, 8), hardware: "v100-32gb" });
  const h200 = new TestHost("h200s", { ...cap(4, 8), hardware: "h200-141gb" });
  const fits = (s: Stage, hw: string) => (s.name === "huge" ? hw === "h200-141gb" : s.name === "vast" ? false : true);
  const { results } = await runOn([v100, h200], [stage("huge", [], 8), stage("small", [], 8), stage("vast", [], 8)], { fitsDevice: fits });
  assert.equal(results.get("huge")?.host, "h200s");
  assert.equal(results.get("small")?.host, "v100s");
  assert.equal(results.get("vast")?.status, "failed");
  assert.match(results.get("vast")?.error ?? "", /v100s: 8 GPU\(s\) v100-32gb \(too small for it\).*h200s: 8 GPU\(s\) h200-141gb \(too small for it\)/);
});

test("placement: max_jobs is never exceeded, and a stage goes where its inputs already are", async () => {
  const a = new TestHost("a", cap(1));
  const b = new TestHost("b", cap(1, 2));
  const { results } = await runOn([a, b], [stage("p", [], 2), stage("x1"), stage("x2"), stage("x3"), stage("q", ["p"])]);
  assert.ok(a.peak <= 1 && b.peak <= 1);
  assert.equal(results.get("p")?.host, "b");
  // `q` reads `p`, which `b` made: it goes to `b` although `a` comes first in the inventory.
  assert.equal(results.get("q")?.host, "b");
  assert.ok([...results.values()].every((r) => r.status === "ran"));
});

test("retries: a failed stage is tried again after a backoff, up to --retries", async () => {
  const flaky = new TestHost("flaky", cap(2), (job, attempt) => {
    if (job.stage.name === "f" && attempt === 1) throw new StageFailedError("out of luck");
  });
  const t0 = Date.now();
  const { results } = await runOn([flaky], [stage("f")], { retries: 1, backoffMs: 200 });
  assert.equal(results.get("f")?.status, "ran");
  assert.equal(results.get("f")?.attempts, 2);
  assert.ok(Date.now() - t0 >= 200);
  const once = new TestHost("flaky", cap(2), (job, attempt) => {
    if (attempt === 1) throw new StageFailedError("out of luck");
  });
  const r0 = await runOn([once], [stage("f")], { retries: 0 });
  assert.equal(r0.results.get("f")?.status, "failed");
  assert.equal(r0.results.get("f")?.error, "out of luck");
});

test("faults: a host that goes down mid-stage is marked down, its stage reruns elsewhere (no retry needed), and nothing it half-wrote is published", async () => {
  const dying = new TestHost("dying", cap(1), (job) => {
    writeFileSync(path.join(job.out, "half.txt"), "half-written");
    throw new HostDownError("dying", "connection closed");
  });
  const spare = new TestHost("spare", cap(1));
  const { results, notes } = await runOn([dying, spare], [stage("s"), stage("t", ["s"]), stage("u")], { retries: 0 });
  for (const n of ["s", "t", "u"]) assert.equal(results.get(n)?.status, "ran", n);
  assert.equal(results.get("s")?.host, "spare");
  assert.equal(results.get("s")?.attempts, 2);
  assert.deepEqual(dying.ran, ["s"]);
  assert.match(notes.join("\n"), /^s: host dying is down \(connection closed\); its stages go to other hosts$/m);
  const dir = results.get("s")!.dir!;
  assert.equal(readFileSync(path.join(dir, "out.txt"), "utf8"), "s on spare");
  assert.deepEqual((JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { files: { path: string }[] }).files.map((f) => f.path), ["out.txt"]);
});

test("faults: when every host that could run a stage is down, it fails saying so", async () => {
  const dying = new TestHost("only", cap(1), () => {
    throw new HostDownError("only", "no route to host");
  });
  const { results } = await runOn([dying], [stage("s")]);
  assert.equal(results.get("s")?.status, "failed");
  assert.match(results.get("s")?.error ?? "", /every host that could run it is down \(only: no route to host\)/);
});
