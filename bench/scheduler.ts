/**
 * Scheduler overhead per stage (issue: execution graph): `runPlan` over a generated graph of
 * 200 trivial stages (20 layers of 10, each reading two stages of the layer before) whose
 * executor writes one small file, with the real store (temp folder, manifest with sha256,
 * fsync, rename into `.seer/stages/`). Baseline, same run: the executors' own work without
 * the scheduler and store (a fresh folder and the same file per stage).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Stage } from "../contract/graph.js";
import type { Decision } from "../runtime/exec/plan.js";
import { runPlan } from "../runtime/exec/scheduler.js";
import { Store } from "../runtime/exec/store.js";
import { median } from "./stats.js";

const LAYERS = 20;
const WIDTH = 10;

function graph(): Stage[] {
  const stages: Stage[] = [];
  for (let l = 0; l < LAYERS; l++) {
    for (let i = 0; i < WIDTH; i++) {
      const inputs = l === 0 ? [] : [`s/${l - 1}/${i}`, `s/${l - 1}/${(i + 1) % WIDTH}`];
      stages.push({ id: `sha256:${String(l * WIDTH + i).padStart(64, "0")}`, name: `s/${l}/${i}`, kind: "prepare-data", spec: { kind: "synthetic", name: `s/${l}/${i}`, dir: "", attributes: ["group"], generator: "shapes", images: 2, size: 8, classes: 2, groups: 1, shift: 0, seed: l * WIDTH + i, splits: null }, inputs, resources: { gpus: 0, cpu: true }, source: { file: "bench", declaration: "s" } });
    }
  }
  return stages;
}

const output = (name: string): string => `${JSON.stringify({ stage: name, value: 42 })}\n`;

async function schedule(dir: string, stages: Stage[], jobs: number, cached?: Map<string, Decision>): Promise<number> {
  const store = new Store(dir);
  const plan: Decision[] = stages.map((stage) => cached?.get(stage.name) ?? { stage, key: stage.id.slice(7), action: "run", reasons: ["new stage"] });
  const t0 = performance.now();
  const results = await runPlan(plan, {
    store,
    jobs,
    failFast: true,
    accelerators: 1,
    signal: new AbortController().signal,
    execute: async (stage, ctx) => writeFileSync(path.join(ctx.out, "out.json"), output(stage.name)),
  });
  const ms = performance.now() - t0;
  const bad = [...results.values()].filter((r) => r.status !== (cached ? "cached" : "ran"));
  if (bad.length > 0) throw new Error(`scheduler bench: ${bad.length} stages ${bad[0]!.status}`);
  return ms;
}

function bare(dir: string, stages: Stage[]): number {
  const t0 = performance.now();
  for (const s of stages) {
    const out = path.join(dir, "bare", s.id.slice(7));
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "out.json"), output(s.name));
  }
  return performance.now() - t0;
}

export async function benchScheduler(rounds = 3): Promise<Record<string, number>> {
  const stages = graph();
  const ran: number[] = [], parallel: number[] = [], cachedMs: number[] = [], bareMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "seer-bench-sched-"));
    try {
      bareMs.push(bare(dir, stages));
      ran.push(await schedule(path.join(dir, "a"), stages, 1));
      parallel.push(await schedule(path.join(dir, "b"), stages, 4));
      // Every stage cached: the decisions `plan` makes after a run (intact outputs, hashes checked).
      const store = new Store(path.join(dir, "a"));
      const decisions = new Map(stages.map((stage): [string, Decision] => {
        const found = store.lookup(stage.id.slice(7));
        if (found.state !== "ok") throw new Error(`scheduler bench: ${stage.name} was not published`);
        return [stage.name, { stage, key: stage.id.slice(7), action: "cached", reasons: [], published: found.published }];
      }));
      cachedMs.push(await schedule(path.join(dir, "a"), stages, 1, decisions));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const n = stages.length;
  const m = { ran: median(ran), parallel: median(parallel), cached: median(cachedMs), bare: median(bareMs) };
  return {
    stages: n,
    ranMs: m.ran,
    parallelMs: m.parallel,
    cachedMs: m.cached,
    bareMs: m.bare,
    perStageMs: (m.ran - m.bare) / n,
    perStageParallelMs: (m.parallel - m.bare) / n,
    perStageCachedMs: m.cached / n,
    ratio: m.ran / m.bare,
  };
}
