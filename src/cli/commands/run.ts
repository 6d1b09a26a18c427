/**
 * `seer run RECIPE`: compile and prepare the recipe, then hand it to the run session
 * (runtime/session/session.ts), which runs every stage that is not cached, publishes outputs
 * into `.seer/`, writes `runs/<run-id>/record.json` (and YAML) and copies the report there.
 * This file parses the flags and renders: the progress view, failures as diagnostics, `--json`.
 */
import type { Compilation } from "../../../compiler/compile.js";
import { printable } from "../../../core/diagnostics/printable.js";
import { packageRoot } from "../../../compiler/modules/std.js";
import { describeUnreadable } from "../../../runtime/data/unreadable.js";
import type { RunRecord } from "../../../runtime/records/record.js";
import type { StageResult } from "../../../runtime/exec/scheduler.js";
import type { SessionOutcome } from "../../../runtime/session/session.js";
import { EXIT, UsageError } from "../errors.js";
import { emitDiagnostics, type ColorMode } from "../output.js";
import { SEER_VERSION } from "../version.js";
import { fitsDevice, resolveHardware, stageMemory } from "./estimate.js";
import { changedData, memoryRefusals, unsupportedSettings } from "./run-refusals.js";
import { bundledWorkerUrl } from "./job.js";
import { prepare } from "./prepare.js";
import { recipeFacts } from "./recipe-facts.js";
import { failureDiagnostics, failuresJson, printFailures } from "./run-failures.js";
import { chooseProgressView } from "./run-progress.js";

export interface RunCliOptions {
  set: string[];
  only: string[];
  jobs?: string;
  failFast: boolean;
  keepGoing: boolean;
  backend?: string;
  /** `--engine` (else SEER_ENGINE, else tfjs). */
  engine?: string;
  json: boolean;
  color: ColorMode;
  runsDir: string;
  /** argv after `seer`, for the record. */
  argv: string[];
  /** `--hardware`: the accelerator of this machine's stages, for the memory check (default: `cpu` when the backend computes on the CPU). */
  hardware?: string;
  /** The hosts inventory (`--hosts`), and how often a failed stage is tried again. */
  hosts?: string;
  retries?: string;
  /** `seer reproduce`: where the data is, and the fingerprints it must have (dataset name -> fingerprint). */
  data?: { dir: string; paths: ReadonlyMap<string, string>; expect: ReadonlyMap<string, string> };
}

export interface RunOutcome {
  code: number;
  runDir?: string;
  /** The run record written to `runDir`. */
  record?: RunRecord;
  /** Each stage's result, by name. */
  results?: ReadonlyMap<string, StageResult>;
}

/** Runs the recipe `file` (compiled already when `compiled` is given). */
export async function runRun(file: string, o: RunCliOptions, compiled?: Compilation): Promise<RunOutcome> {
  const jobs = Number(o.jobs ?? 1);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`\`--jobs ${o.jobs}\` is not a positive whole number.`);
  const retries = Number(o.retries ?? 0);
  if (!Number.isInteger(retries) || retries < 0) throw new UsageError(`\`--retries ${o.retries}\` is not a whole number (0 or more).`);
  if (o.failFast && o.keepGoing) throw new UsageError("`--fail-fast` and `--keep-going` contradict each other.");
  const hardware = o.hardware !== undefined ? resolveHardware(o.hardware) : undefined;
  const inventory = o.hosts ? (await import("./hosts.js")).loadInventory(o.hosts, o.color) : undefined;
  if (typeof inventory === "number") return { code: inventory };
  const prepared = await prepare(file, { set: o.set, color: o.color, ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}), ...(inventory && !inventory.hosts.some((h) => h.kind === "local" && h.engines.includes("torch")) ? { torchHere: false } : {}), ...(o.data ? { dataDir: o.data.dir, dataPaths: o.data.paths } : {}) }, compiled);
  if (typeof prepared === "number") return { code: prepared };
  const { c, p, warnings } = prepared;
  const changed = o.data ? changedData(p, o.data.expect) : [];
  if (changed.length > 0) {
    for (const line of changed) process.stderr.write(`error: ${printable(line)}\n`);
    return { code: EXIT.runtime };
  }
  const refused = memoryRefusals(c, p, hardware, inventory !== undefined);
  const unsupported = unsupportedSettings(p);
  if (refused.length > 0 || unsupported.length > 0) {
    if (refused.length > 0) emitDiagnostics(refused, c.program.files, 1, { format: "text", color: o.color });
    for (const line of unsupported) process.stderr.write(`error: ${line}\n`);
    return { code: EXIT.runtime };
  }
  const { runSession } = await import("../../../runtime/session/session.js");
  const { SelectionError } = await import("../../../runtime/session/selection.js");
  const view = await chooseProgressView(p.plan);
  const workerUrl = bundledWorkerUrl();
  let outcome: SessionOutcome;
  try {
    outcome = await runSession(p, {
      recipe: recipeFacts(c, file, o.set),
      seer: SEER_VERSION,
      packageRoot: packageRoot(),
      ...(workerUrl ? { workerUrl } : {}),
      memoryOf: stageMemory,
      fitsDevice: (stage, name) => fitsDevice(stage, name),
      ...(inventory ? { inventory } : {}),
      ...(o.jobs !== undefined ? { jobs } : {}),
      retries,
      failFast: !o.keepGoing,
      only: o.only,
      runsDir: o.runsDir,
      argv: o.argv,
      events: { ...view.events, ready: () => view.plan(), notice: (line) => void process.stderr.write(`\n${printable(line)}\n`) },
    });
    if (!("refused" in outcome)) await view.finish(outcome.results, { runDir: outcome.runDir, report: outcome.report });
  } catch (e) {
    if (e instanceof SelectionError) throw new UsageError(`No stage matches \`--only ${e.pattern}\`.`, `stages: ${e.stages.slice(0, 8).join(", ")}...`);
    throw e;
  } finally {
    await view.close();
  }
  if ("refused" in outcome) {
    for (const x of outcome.refused) process.stderr.write(`error: ${x}\n`);
    return { code: outcome.code };
  }
  const diagnostics = failureDiagnostics(c, outcome.failures);
  printFailures(c, diagnostics, o.color);
  // Cached stages too: what a stage could not read is part of its published outputs.
  const unreadable = new Map(outcome.record.stages.flatMap((s) => (s.unreadable ? [[s.name, s.unreadable] as const] : [])));
  for (const [name, u] of unreadable) process.stderr.write(`warning: ${name}: ${describeUnreadable(u)}\n`);
  if (o.json) {
    const summary = {
      run_id: outcome.record.run_id,
      run_dir: outcome.runDir,
      stages: [...outcome.results.values()].map((r) => {
        const log = outcome.logs.get(r.stage.name);
        const u = unreadable.get(r.stage.name);
        return { id: r.key, name: r.stage.name, kind: r.stage.kind, status: r.status, host: r.host ?? "local", seconds: Number(r.seconds.toFixed(3)), output_digest: r.digest, ...(r.error ? { error: r.error } : {}), ...(log ? { log } : {}), ...(u ? { unreadable: u } : {}) };
      }),
      metrics: outcome.record.metrics,
      report: outcome.report,
      diagnostics: failuresJson(c, [...warnings, ...diagnostics]),
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  }
  return { code: outcome.code, runDir: outcome.runDir, record: outcome.record, results: outcome.results };
}
