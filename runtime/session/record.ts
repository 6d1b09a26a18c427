/** The run record of a run session (runtime/records/record.ts describes the format). */
import { readFileSync } from "node:fs";
import { cpus, hostname } from "node:os";
import path from "node:path";
import type { Metrics, RunRecord, StageRecord, TorchFacts } from "../records/record.js";
import type { TorchProbe } from "../engines/torch/python.js";
import { sourceSha256 } from "../records/validate.js";
import type { GitInfo } from "../records/git.js";
import { readEvalOutput } from "../exec/executors/evals.js";
import type { StageResult } from "../exec/scheduler.js";
import { isKind, type ExecGraph } from "../../contract/graph.js";
import { TELEMETRY_DIR } from "../exec/store.js";
import { runsOnEngine } from "../engines/engine.js";
import { readUnreadable } from "../data/unreadable.js";
import type { Prepared } from "./prepare.js";

/** What the record says of the recipe that the runtime cannot know (the CLI reads it from the compilation). */
export interface RecipeFacts {
  /** The recipe file as given. */
  file: string;
  /** `--set` values as given (`name=value`). */
  set: readonly string[];
  /** Every non-std module the recipe read: its path and text. */
  modules: { id: string; text: string }[];
  /** Each non-std declaration's resolved value. */
  resolved: Record<string, unknown>;
  /** declaration -> seed. */
  seeds: Record<string, number>;
}

export interface RecordInput {
  p: Prepared;
  recipe: RecipeFacts;
  seer: string;
  runId: string;
  created: Date;
  status: RunRecord["status"];
  results: ReadonlyMap<string, StageResult>;
  git: GitInfo | null;
  argv: string[];
  report: string | null;
}

/**
 * The eval stages in the suites' own order (rows as the suite lists them, each row's evals as
 * declared), as the report stages list them; evals no report lists follow in graph order.
 */
function suiteOrder(graph: ExecGraph): Map<string, number> {
  const names = graph.stages.flatMap((s) => (isKind(s, "report") ? s.spec.evals : []));
  for (const s of graph.stages) names.push(s.name);
  const order = new Map<string, number>();
  for (const n of names) if (!order.has(n)) order.set(n, order.size);
  return order;
}

/** metrics[suite][row]["EVAL.METRIC"] from the published eval stages (`eval/SUITE/ROW/EVAL`), in the suites' order. */
export function collectMetrics(graph: ExecGraph, results: ReadonlyMap<string, StageResult>): { metrics: Metrics; configs: RunRecord["metric_configs"] } {
  const metrics: Metrics = {};
  const configs: RunRecord["metric_configs"] = {};
  const order = suiteOrder(graph);
  const rank = (r: StageResult): number => order.get(r.stage.name) ?? order.size;
  for (const r of [...results.values()].sort((a, b) => rank(a) - rank(b))) {
    if (!r.stage.kind.endsWith("-eval") || !r.dir || (r.status !== "ran" && r.status !== "cached")) continue;
    const suite = r.stage.name.split("/")[1]!;
    const out = readEvalOutput(r.dir);
    for (const [m, v] of Object.entries(out.metrics)) {
      if (!Number.isFinite(v)) continue;
      ((metrics[suite] ??= {})[out.row] ??= {})[m] = v;
      ((configs[suite] ??= {})[out.row] ??= {})[m] = out.config;
    }
  }
  return { metrics, configs };
}

/** The ranks a torch stage ran with, as its published telemetry says (undefined when it says nothing readable). */
function worldSizeOf(dir: string): number | undefined {
  try {
    const t: unknown = JSON.parse(readFileSync(path.join(dir, TELEMETRY_DIR, "telemetry.json"), "utf8"));
    const w = typeof t === "object" && t !== null && "worldSize" in t ? t.worldSize : undefined;
    return typeof w === "number" && Number.isSafeInteger(w) && w >= 1 ? w : undefined;
  } catch {
    return undefined;
  }
}

function torchFacts(t: TorchProbe): TorchFacts {
  return { version: t.torch, cuda: t.cuda, devices: t.devices.map((d) => ({ name: d.name, memory_bytes: d.memoryBytes })), python: t.python };
}

export function buildRecord(x: RecordInput): RunRecord {
  const { p } = x;
  const project = process.cwd();
  const sources = x.recipe.modules.map((m) => ({ path: path.relative(project, m.id).split(path.sep).join("/"), sha256: sourceSha256(m.text), text: m.text }));
  const stages: StageRecord[] = p.plan.map((d) => {
    const r = x.results.get(d.stage.name);
    const engine = runsOnEngine(d.stage, p.engine.choice.name);
    const world = engine === "torch" && r?.digest ? worldSizeOf(p.store.stageDir(d.key)) : undefined;
    const unreadable = r?.dir && (r.status === "ran" || r.status === "cached") ? readUnreadable(r.dir) : null;
    return { id: d.key, name: d.stage.name, kind: d.stage.kind, engine, ...(world !== undefined ? { world_size: world } : {}), ...(unreadable ? { unreadable: { count: unreadable.count, files: unreadable.files.map((f) => ({ ...f })) } } : {}), status: r?.status ?? "skipped", host: r?.host ?? "local", seconds: r?.seconds ?? 0, output_digest: r?.digest ?? null, started: r?.started ?? null, finished: r?.finished ?? null, ...(r?.error ? { error: r.error } : {}) };
  });
  const { metrics, configs } = collectMetrics(p.graph, x.results);
  const params: Record<string, string> = {};
  for (const s of x.recipe.set) {
    const eq = s.indexOf("=");
    if (eq > 0) params[s.slice(0, eq).trim()] = s.slice(eq + 1).trim();
  }
  return {
    format: "seer-run-record",
    version: 1,
    run_id: x.runId,
    status: x.status,
    created: x.created.toISOString(),
    finished: new Date().toISOString(),
    command: x.argv,
    project,
    recipe: { file: path.relative(project, path.resolve(x.recipe.file)).split(path.sep).join("/"), params, sources, resolved: x.recipe.resolved },
    graph: p.graph,
    environment: { seer: x.seer, node: process.version, tfjs: p.backend.info.tfjsVersion, backend: p.backend.info.name, engine: p.engine.choice.name, ...(p.engine.torch ? { torch: torchFacts(p.engine.torch) } : {}), platform: process.platform, arch: process.arch, cpus: cpus().length, hostname: hostname() },
    git: x.git,
    datasets: [...p.fingerprints].map(([stage, fingerprint]) => {
      const name = stage.replace(/^data\//, "");
      return { name, fingerprint, location: p.locations.get(stage) ?? null, ...(p.sizes.has(name) ? { images: p.sizes.get(name)! } : {}) };
    }),
    seeds: x.recipe.seeds,
    stages,
    metrics,
    metric_configs: configs,
    report: x.report,
  };
}
