/**
 * What changed between two runs: configuration (recipe file and parameters, sources,
 * datasets, seeds, and the graph's stages matched by name), every metric, and the
 * environment. Plain data; `render-diff.ts` prints it.
 */
import { diffJson, type FieldChange } from "./json-diff.js";
import { metricKeys, metricValue } from "./metrics.js";
import type { RunRecord } from "./record.js";

/** A named value that differs; `a` or `b` is absent when that run lacks it. */
export interface KeyChange {
  key: string;
  a?: unknown;
  b?: unknown;
}

export interface StageChange {
  /** The stage name, e.g. `eval/quickstart/swav_tiny.pool/linear`. */
  stage: string;
  /** Set when the stage kind itself changed. */
  kind?: { a: string; b: string };
  /** Spec fields that differ, by JSON Pointer into the stage's `spec` (`config` in version-1 graphs). */
  fields: FieldChange[];
}

export interface MetricChange {
  suite: string;
  row: string;
  metric: string;
  a: number | null;
  b: number | null;
  /** b - a; null when either is missing. */
  delta: number | null;
}

export interface RunSide {
  run_id: string;
  status: string;
  created: string;
  recipe: string;
}

export interface RecordDiff {
  a: RunSide;
  b: RunSide;
  config: {
    /** `file` and `param NAME` (`--set` values). */
    recipe: KeyChange[];
    /** Source files by path; values are their sha256. */
    sources: KeyChange[];
    /** Datasets by name; values are their fingerprints. */
    datasets: KeyChange[];
    seeds: KeyChange[];
    stages: { added: string[]; removed: string[]; changed: StageChange[] };
  };
  /** Every metric of either run, changed or not. */
  metrics: MetricChange[];
  /** seer, node, tfjs, backend, engine (torch and its CUDA when torch ran), platform, arch, cpus, hostname, git.commit, git.dirty. */
  environment: KeyChange[];
}

export function diffRecords(a: RunRecord, b: RunRecord): RecordDiff {
  return {
    a: side(a),
    b: side(b),
    config: {
      recipe: diffMaps(recipeFields(a), recipeFields(b)),
      sources: diffMaps(Object.fromEntries(a.recipe.sources.map((s) => [s.path, s.sha256])), Object.fromEntries(b.recipe.sources.map((s) => [s.path, s.sha256]))),
      datasets: diffMaps(Object.fromEntries(a.datasets.map((d) => [d.name, d.fingerprint])), Object.fromEntries(b.datasets.map((d) => [d.name, d.fingerprint]))),
      seeds: diffMaps(a.seeds, b.seeds),
      stages: diffStages(graphStages(a.graph), graphStages(b.graph)),
    },
    metrics: metricKeys(a.metrics, b.metrics).map((k) => {
      const va = metricValue(a.metrics, k);
      const vb = metricValue(b.metrics, k);
      return { ...k, a: va, b: vb, delta: va === null || vb === null ? null : vb - va };
    }),
    environment: diffMaps(environmentFields(a), environmentFields(b)),
  };
}

function side(r: RunRecord): RunSide {
  return { run_id: r.run_id, status: r.status, created: r.created, recipe: r.recipe.file };
}

function recipeFields(r: RunRecord): Record<string, unknown> {
  return { file: r.recipe.file, ...Object.fromEntries(Object.entries(r.recipe.params).map(([k, v]) => [`param ${k}`, v])) };
}

/** A record's environment as flat fields (the torch facts as `torch` and `cuda`), for comparing two runs. */
export function environmentFields(r: RunRecord): Record<string, unknown> {
  const { seer, node, tfjs, backend, platform, arch, cpus, hostname } = r.environment;
  const engine = r.environment.engine ?? "tfjs";
  const torch = r.environment.torch ? { torch: r.environment.torch.version, cuda: r.environment.torch.cuda } : {};
  return { seer, node, tfjs, backend, engine, ...torch, platform, arch, cpus, hostname, ...(r.git ? { "git.commit": r.git.commit, "git.dirty": r.git.dirty } : {}) };
}

function diffMaps(a: Record<string, unknown>, b: Record<string, unknown>): KeyChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key): KeyChange[] => {
    if (!(key in b)) return [{ key, a: a[key] }];
    if (!(key in a)) return [{ key, b: b[key] }];
    return diffJson(a[key], b[key]).length > 0 ? [{ key, a: a[key], b: b[key] }] : [];
  });
}

interface GraphStage {
  kind: string;
  config: unknown;
}

/** The graph's stages by name (records are schema-checked; anything else yields no stages). */
function graphStages(graph: unknown): Map<string, GraphStage> {
  const stages = graph && typeof graph === "object" ? (graph as { stages?: unknown }).stages : undefined;
  const out = new Map<string, GraphStage>();
  if (!Array.isArray(stages)) return out;
  for (const s of stages as { name?: unknown; kind?: unknown; spec?: unknown; config?: unknown }[]) {
    // Graph version 2 stages carry a `spec`; version 1 (older records) a `config`.
    if (typeof s.name === "string") out.set(s.name, { kind: typeof s.kind === "string" ? s.kind : "", config: s.spec ?? s.config });
  }
  return out;
}

function diffStages(a: Map<string, GraphStage>, b: Map<string, GraphStage>): RecordDiff["config"]["stages"] {
  const changed: StageChange[] = [];
  for (const [name, sa] of a) {
    const sb = b.get(name);
    if (!sb) continue;
    const fields = diffJson(sa.config, sb.config);
    if (fields.length === 0 && sa.kind === sb.kind) continue;
    changed.push({ stage: name, ...(sa.kind === sb.kind ? {} : { kind: { a: sa.kind, b: sb.kind } }), fields });
  }
  return { added: [...b.keys()].filter((n) => !a.has(n)), removed: [...a.keys()].filter((n) => !b.has(n)), changed };
}
