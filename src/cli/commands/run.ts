/**
 * `seer run RECIPE`: plan, then run every stage that is not cached, publish outputs into
 * `.seer/`, write `runs/<run-id>/record.json` (and YAML) and copy the report there.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Stage } from "../../../contract/graph.js";
import { EXIT, UsageError } from "../errors.js";
import type { ColorMode } from "../output.js";
import { SEER_VERSION } from "../version.js";
import { prepare, type Prepared } from "./prepare.js";
import type { RunRecord } from "../../../runtime/records/record.js";
import { buildRecord } from "./run-record.js";
import { chooseProgressView } from "./run-progress.js";
import { setupHosts } from "./run-hosts.js";

export interface RunCliOptions {
  set: string[];
  only: string[];
  jobs?: string;
  failFast: boolean;
  keepGoing: boolean;
  backend?: string;
  json: boolean;
  color: ColorMode;
  runsDir: string;
  /** argv after `seer`, for the record. */
  argv: string[];
  /** The hosts inventory (`--hosts`), and how often a failed stage is tried again. */
  hosts?: string;
  retries?: string;
}

export interface RunOutcome {
  code: number;
  runDir?: string;
  /** The run record written to `runDir`. */
  record?: RunRecord;
  /** Each stage's result, by name. */
  results?: ReadonlyMap<string, import("../../../runtime/exec/scheduler.js").StageResult>;
}

/** The stages `--only` names (exact names or prefixes such as `eval/quickstart`) and everything they need. */
function selection(p: Prepared, only: readonly string[]): Set<string> | undefined {
  if (only.length === 0) return undefined;
  const byName = new Map(p.graph.stages.map((s) => [s.name, s]));
  const out = new Set<string>();
  const add = (s: Stage) => {
    if (out.has(s.name)) return;
    out.add(s.name);
    s.inputs.forEach((i) => add(byName.get(i)!));
  };
  for (const o of only) {
    const hits = p.graph.stages.filter((s) => s.name === o || s.name.startsWith(`${o}/`) || s.source.declaration === o);
    if (hits.length === 0) throw new UsageError(`No stage matches \`--only ${o}\`.`, `stages: ${p.graph.stages.map((s) => s.name).slice(0, 8).join(", ")}...`);
    hits.forEach(add);
  }
  return out;
}

export async function runRun(file: string, o: RunCliOptions): Promise<RunOutcome> {
  const jobs = Number(o.jobs ?? 1);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`\`--jobs ${o.jobs}\` is not a positive whole number.`);
  const retries = Number(o.retries ?? 0);
  if (!Number.isInteger(retries) || retries < 0) throw new UsageError(`\`--retries ${o.retries}\` is not a whole number (0 or more).`);
  if (o.failFast && o.keepGoing) throw new UsageError("`--fail-fast` and `--keep-going` contradict each other.");
  const inventory = o.hosts ? (await import("./hosts.js")).loadInventory(o.hosts, o.color) : undefined;
  if (typeof inventory === "number") return { code: inventory };
  const p = await prepare(file, { set: o.set, color: o.color, ...(o.backend ? { backend: o.backend } : {}) });
  if (typeof p === "number") return { code: p };
  if (!inventory && p.infeasible.length > 0) {
    for (const x of p.infeasible) process.stderr.write(`error: ${x}\n`);
    return { code: EXIT.runtime };
  }
  const selected = selection(p, o.only);
  const { acquireLock, LockedError } = await import("../../../runtime/exec/lock.js");
  const { runPlan } = await import("../../../runtime/exec/scheduler.js");
  const { newRunId } = await import("../../../runtime/records/run-id.js");
  const { gitInfo } = await import("../../../runtime/records/git.js");
  let lock;
  try {
    lock = acquireLock(path.join(p.store.root, "lock"));
  } catch (e) {
    if (e instanceof LockedError) {
      process.stderr.write(`error: ${e.message}\n`);
      return { code: EXIT.runtime };
    }
    throw e;
  }
  const runId = newRunId();
  const runDir = path.join(o.runsDir, runId);
  const created = new Date();
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write("\ncancelling: running stages stop at their next step (pretraining saves a checkpoint); press Ctrl-C again to quit at once\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const view = await chooseProgressView(p.plan);
  const git = gitInfo(p.baseDir);
  // The scheduler's live results, for a report's provenance while the run is still going.
  let results: ReadonlyMap<string, import("../../../runtime/exec/scheduler.js").StageResult> = new Map();
  let closeHosts: (() => Promise<void>) | undefined;
  try {
    const { close, ...hosts } = await setupHosts({
      p,
      ...(inventory ? { inventory } : {}),
      ...(o.jobs !== undefined ? { jobs } : {}),
      retries,
      runId,
      note: (stage, line) => view.events.log?.(stage, line),
      provenance: () => ({
        runId,
        recipe: file,
        seer: SEER_VERSION,
        node: process.version,
        tfjs: p.backend.info.tfjsVersion,
        git: git ? { commit: git.commit, dirty: git.dirty } : null,
        stages: p.plan.map((d) => {
          const r = results.get(d.stage.name);
          return { name: d.stage.name, kind: d.stage.kind, id: d.key, status: r?.status ?? "ran", seconds: r?.seconds ?? 0, host: r?.host ?? "local" };
        }),
      }),
    });
    closeHosts = close;
    view.plan();
    const out = await runPlan(p.plan, {
      store: p.store,
      failFast: !o.keepGoing,
      accelerators: 1,
      ...(selected ? { selected } : {}),
      signal: abort.signal,
      events: view.events,
      onResults: (r) => (results = r),
      ...hosts,
    });
    // Remember what each stage published (for `seer why` and plan reasons).
    const index = p.store.readIndex();
    for (const r of out.values()) {
      if (r.status !== "ran" && r.status !== "cached") continue;
      index[r.stage.name] = { key: r.key, id: r.stage.id, spec: r.stage.spec, inputs: Object.fromEntries(r.stage.inputs.map((i) => [i, p.keys.get(i)!])), seer: SEER_VERSION, backend: p.backend.info.name, ...(p.fingerprints.has(r.stage.name) ? { fingerprint: p.fingerprints.get(r.stage.name)! } : {}) };
    }
    p.store.writeIndex(index);
    const status = abort.signal.aborted ? "cancelled" : [...out.values()].some((r) => r.status === "failed") ? "failed" : "succeeded";
    mkdirSync(runDir, { recursive: true });
    const reportFile = copyReport(out, runDir);
    const record = buildRecord({ p, file, runId, created, status, results: out, git, argv: o.argv, set: o.set, report: reportFile });
    const { writeRecord } = await import("../../../runtime/records/store.js");
    writeRecord(runDir, record);
    await view.finish(out, { runDir, report: reportFile ? path.join(runDir, reportFile) : null });
    if (o.json) {
      const summary = {
        run_id: runId,
        run_dir: runDir,
        stages: [...out.values()].map((r) => ({ id: r.key, name: r.stage.name, kind: r.stage.kind, status: r.status, host: r.host ?? "local", seconds: Number(r.seconds.toFixed(3)), output_digest: r.digest, ...(r.error ? { error: r.error } : {}) })),
        metrics: record.metrics,
        report: reportFile ? path.join(runDir, reportFile) : null,
      };
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    }
    const code = status === "succeeded" ? EXIT.ok : status === "cancelled" ? 130 : EXIT.runtime;
    return { code, runDir, record, results: out };
  } finally {
    await view.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await closeHosts?.();
    lock.release();
  }
}

/** Copies the report stage's files into the run folder; returns the HTML file's name there. */
function copyReport(results: ReadonlyMap<string, import("../../../runtime/exec/scheduler.js").StageResult>, runDir: string): string | null {
  let html: string | null = null;
  for (const r of results.values()) {
    if (r.stage.kind !== "report" || !r.dir || !existsSync(r.dir)) continue;
    for (const f of readdirSync(r.dir)) {
      if (f === "manifest.json") continue;
      copyFileSync(path.join(r.dir, f), path.join(runDir, f));
      if (f.endsWith(".html")) html ??= f;
    }
  }
  return html;
}
