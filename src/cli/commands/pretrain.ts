/**
 * `seer pretrain RECIPE NAME`: the recipe's `pretrain/NAME` stage (and the data it reads) run
 * through the same graph, executor and content-addressed store as `seer run`. A rerun of an
 * unchanged recipe finds the stage cached (or resumes its checkpoints after a kill); an edited
 * one trains anew under a new key; `seer run` reuses what it trained.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import { EXIT, UsageError } from "../errors.js";
import type { ColorMode } from "../output.js";
import { compileOrReport } from "../compile-recipe.js";
import { findDecl } from "./job.js";

export interface PretrainCliOptions {
  out?: string;
  set: string[];
  backend?: string;
  /** `--engine` (else SEER_ENGINE, else tfjs). */
  engine?: string;
  json?: boolean;
  color: ColorMode;
  runsDir: string;
}

/** What the stage publishes, copied to `--out` on request. */
const OUTPUTS = ["trunk.seerckpt", "metrics.jsonl", "summary.json"];

export async function runPretrain(file: string, name: string, opts: PretrainCliOptions): Promise<number> {
  const c = compileOrReport([file], opts.set, opts.color);
  if (typeof c === "number") return c;
  findDecl(c, name, "pretrain");
  const stageName = `pretrain/${name}`;
  const { runRun } = await import("./run.js");
  const outcome = await runRun(file, { set: opts.set, only: [stageName], failFast: true, keepGoing: false, json: false, color: opts.color, runsDir: opts.runsDir, argv: ["pretrain", file, name], ...(opts.backend ? { backend: opts.backend } : {}), ...(opts.engine ? { engine: opts.engine } : {}) }, c);
  if (outcome.code !== EXIT.ok) return outcome.code;
  const stage = outcome.record?.stages.find((s) => s.name === stageName);
  const dir = outcome.results?.get(stageName)?.dir;
  if (!stage || !dir) throw new Error(`${stageName} did not publish`);
  const weights = path.join(dir, "trunk.seerckpt");
  const read = (f: string) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Record<string, unknown>;
  const summary = { ...read(path.join("telemetry", "telemetry.json")), ...read("summary.json") };
  // The stage's summary holds the weights' sha256 (checked against the manifest when it was published or found cached).
  const sha = String(summary["weightsSha256"]);
  if (opts.out) exportOutputs(dir, path.resolve(opts.out));
  const result = { ...summary, stage: stageName, key: stage.id, status: stage.status, dir: path.resolve(dir), weightsFile: path.resolve(weights), weightsSha256: sha, run_dir: outcome.runDir ?? null };
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stderr.write(`${name}: ${stage.status === "cached" ? "cached" : "trained"}; weights ${path.relative(process.cwd(), weights)} (sha256 ${sha.slice(0, 16)}...)\n`);
  return EXIT.ok;
}

/** Copies the published outputs to `out`; a different file already there is never overwritten. */
function exportOutputs(dir: string, out: string): void {
  const conflicts = OUTPUTS.filter((f) => existsSync(path.join(out, f)) && !readFileSync(path.join(out, f)).equals(readFileSync(path.join(dir, f))));
  if (conflicts.length > 0) throw new UsageError(`\`--out ${out}\` already holds other ${conflicts.join(", ")}; choose an empty folder.`);
  mkdirSync(out, { recursive: true });
  for (const f of OUTPUTS) writeFileAtomic(path.join(out, f), readFileSync(path.join(dir, f)));
}
