/** The run record of a `seer run` (runtime/records/record.ts describes the format). */
import { cpus, hostname } from "node:os";
import path from "node:path";
import type { Metrics, RunRecord, StageRecord } from "../../../runtime/records/record.js";
import { sourceSha256 } from "../../../runtime/records/validate.js";
import type { GitInfo } from "../../../runtime/records/git.js";
import { readEvalOutput } from "../../../runtime/exec/executors/evals.js";
import type { StageResult } from "../../../runtime/exec/scheduler.js";
import { SEER_VERSION } from "../version.js";
import type { Prepared } from "./prepare.js";

export interface RecordInput {
  p: Prepared;
  file: string;
  runId: string;
  created: Date;
  status: RunRecord["status"];
  results: ReadonlyMap<string, StageResult>;
  git: GitInfo | null;
  argv: string[];
  set: string[];
  report: string | null;
}

/** metrics[suite][row]["EVAL.METRIC"] from the published eval stages (`eval/SUITE/ROW/EVAL`). */
export function collectMetrics(results: ReadonlyMap<string, StageResult>): { metrics: Metrics; configs: RunRecord["metric_configs"] } {
  const metrics: Metrics = {};
  const configs: RunRecord["metric_configs"] = {};
  for (const r of results.values()) {
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

export function buildRecord(x: RecordInput): RunRecord {
  const { p } = x;
  const project = process.cwd();
  const sources = [...p.c.program.modules.values()]
    .filter((m) => !m.std)
    .map((m) => ({ path: path.relative(project, m.id).split(path.sep).join("/"), sha256: sourceSha256(m.source.text), text: m.source.text }));
  const stages: StageRecord[] = p.plan.map((d) => {
    const r = x.results.get(d.stage.name);
    return { id: d.key, name: d.stage.name, kind: d.stage.kind, status: r?.status ?? "skipped", host: r?.host ?? "local", seconds: r?.seconds ?? 0, output_digest: r?.digest ?? null, started: r?.started ?? null, finished: r?.finished ?? null, ...(r?.error ? { error: r.error } : {}) };
  });
  const { metrics, configs } = collectMetrics(x.results);
  const seeds: Record<string, number> = {};
  for (const d of p.c.check.decls.values()) if (typeof d.value["seed"] === "number") seeds[d.info.name] = d.value["seed"];
  const params: Record<string, string> = {};
  for (const s of x.set) {
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
    recipe: { file: path.relative(project, path.resolve(x.file)).split(path.sep).join("/"), params, sources, resolved: Object.fromEntries([...p.c.check.decls.values()].filter((d) => !d.info.module.std).map((d) => [d.info.name, d.value])) },
    graph: p.graph,
    environment: { seer: SEER_VERSION, node: process.version, tfjs: p.backend.info.tfjsVersion, backend: p.backend.info.name, platform: process.platform, arch: process.arch, cpus: cpus().length, hostname: hostname() },
    git: x.git,
    datasets: [...p.fingerprints].map(([name, fingerprint]) => ({ name: name.replace(/^data\//, ""), fingerprint })),
    seeds,
    stages,
    metrics,
    metric_configs: configs,
    report: x.report,
  };
}
