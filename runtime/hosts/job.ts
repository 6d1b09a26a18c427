/**
 * One stage as a job for `seer stage-exec JOBDIR` (a child process here, an SSH host, a Slurm
 * job): `JOBDIR/job.json` says what to run, `JOBDIR/result.json` what came of it, and the
 * worker's events (log lines, progress) go out as JSON lines. Paths in a job are relative to
 * JOBDIR unless absolute, so a job folder can be copied to another machine as it is.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isObject } from "../../core/json.js";
import type { Stage } from "../../contract/graph.js";
import { parseStage } from "../../contract/validate.js";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";
import type { BackendInfo } from "../backend/select.js";
import { parseEngine, stageEngine, type EngineChoice, type NodeGroup } from "../engines/engine.js";
import type { ProvenanceFacts } from "../exec/executors/context.js";
import type { ManifestFile } from "../exec/store.js";

const JOB_FILE = "job.json";
export const RESULT_FILE = "result.json";
/** Where a worker run with `--events` (a Slurm job) appends its events. */
export const EVENTS_FILE = "events.jsonl";
const JOB_VERSION = 1;

export interface JobInput {
  name: string;
  key: string;
  stage: Stage;
}

export interface StageJob {
  version: typeof JOB_VERSION;
  /** The seer version that wrote the job: a worker of another version refuses it. */
  seer: string;
  stage: Stage;
  key: string;
  /** Every published stage upstream of this one, looked up by key in `store`. */
  upstream: JobInput[];
  /** The project folder whose `.seer/` holds the inputs (and, without `out`, receives the output). */
  store: string;
  /** Copies of inputs that arrived with the job (`incoming/<key>/`), taken into the store first. */
  incoming?: string;
  /** Write the outputs here and leave publishing to the caller; without it the worker publishes into `store`. */
  out?: string;
  /** Checkpoints; default the store's `.seer/work/<key>/` (kept across attempts, requeues and preemptions). */
  work?: string;
  /** The backend class the stage's key was computed for, and what the planner saw of it. */
  backend: BackendInfo;
  /** The engine that runs this stage (tfjs, or torch with the host's interpreter when the inventory names one). */
  engine: EngineChoice;
  /** The recipe's folder: relative dataset paths resolve against it. */
  baseDir: string;
  provenance?: ProvenanceFacts;
  /** Return outputs of up to this many bytes in the result itself (base64), sparing a copy. */
  inline?: number;
}

export type JobResult =
  | {
      ok: true;
      /** The outputs' sizes and hashes, and their digest; absent for a job with `out` (its caller hashes them as it publishes). */
      files?: ManifestFile[];
      digest?: string;
      seconds: number;
      reused: boolean;
      host: string;
      inline?: Record<string, string>;
    }
  | { ok: false; error: string; cancelled: boolean; seconds: number; host: string };

export type JobEvent = { event: "log"; line: string } | { event: "progress"; fraction: number; text?: string } | { event: "result"; result: JobResult };

export class JobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobError";
  }
}

/** A path of a job resolved against its folder. */
export const jobPath = (jobDir: string, p: string): string => path.resolve(jobDir, p);

export function writeJob(jobDir: string, job: StageJob): void {
  writeFileAtomic(path.join(jobDir, JOB_FILE), `${JSON.stringify(job, null, 1)}\n`);
}

export function readJob(jobDir: string, seer: string): StageJob {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path.join(jobDir, JOB_FILE), "utf8"));
  } catch (e) {
    throw new JobError(`cannot read ${path.join(jobDir, JOB_FILE)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(v) || v["version"] !== JOB_VERSION || !isObject(v["stage"]) || typeof v["key"] !== "string" || !Array.isArray(v["upstream"]) || typeof v["store"] !== "string" || !isObject(v["backend"]) || typeof v["baseDir"] !== "string") {
    throw new JobError(`${path.join(jobDir, JOB_FILE)} is not a seer job (version ${JOB_VERSION})`);
  }
  if (v["seer"] !== seer) throw new JobError(`the job was written by seer ${String(v["seer"])}, this is seer ${seer}`);
  const file = path.join(jobDir, JOB_FILE);
  const checked = (x: unknown, what: string): Stage => {
    try {
      return parseStage(x, what);
    } catch (e) {
      throw new JobError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const stage = checked(v["stage"], "its stage");
  const upstream = v["upstream"].map((u, i): JobInput => {
    if (!isObject(u) || typeof u["name"] !== "string" || typeof u["key"] !== "string") throw new JobError(`${file}: upstream ${i} is not a stage reference`);
    return { name: u["name"], key: u["key"], stage: checked(u["stage"], `upstream stage ${u["name"]}`) };
  });
  // The envelope's other fields are this module's own format (checked above); the stages follow the contract.
  const envelope = v as unknown as Omit<StageJob, "stage" | "upstream" | "engine">;
  return { ...envelope, stage, upstream, engine: readEngine(v["engine"], file) };
}

/** A job's engine: absent means tfjs (jobs written before engines could be chosen). */
function readEngine(v: unknown, file: string): EngineChoice {
  if (v === undefined) return { name: "tfjs" };
  const bad = () => new JobError(`${file}: its engine is not {name, python?, procs?, nodes?, group?}`);
  if (!isObject(v) || typeof v["name"] !== "string" || (v["python"] !== undefined && typeof v["python"] !== "string")) throw bad();
  const procs = countOf(v["procs"], bad);
  const nodes = countOf(v["nodes"], bad);
  const group = v["group"] === undefined ? undefined : readGroup(v["group"], bad);
  let name: EngineChoice["name"];
  try {
    name = parseEngine(v["name"]);
  } catch (e) {
    throw new JobError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { name, ...(typeof v["python"] === "string" ? { python: v["python"] } : {}), ...(procs !== undefined ? { procs } : {}), ...(nodes !== undefined ? { nodes } : {}), ...(group ? { group } : {}) };
}

function countOf(v: unknown, bad: () => Error): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 1) return v;
  throw bad();
}

function readGroup(v: unknown, bad: () => Error): NodeGroup {
  if (!isObject(v)) throw bad();
  const { node, nodes, addr, port } = v;
  if (typeof node !== "number" || typeof nodes !== "number" || typeof addr !== "string" || typeof port !== "number" || !Number.isSafeInteger(node) || !Number.isSafeInteger(nodes) || node < 0 || node >= nodes || !Number.isSafeInteger(port) || port < 1 || port > 65535 || addr === "") throw bad();
  return { node, nodes, addr, port };
}

export function writeResult(jobDir: string, r: JobResult): void {
  writeFileAtomic(path.join(jobDir, RESULT_FILE), `${JSON.stringify(r, null, 1)}\n`);
}

/** A result file's content, or undefined when it is missing or not a result. */
export function parseResult(text: string): JobResult | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (isObject(v) && typeof v["ok"] === "boolean" && typeof v["seconds"] === "number") return v as unknown as JobResult;
  } catch {
    // not (yet) a result
  }
  return undefined;
}

/** A line of a worker's output read as JSON, or undefined when it is not JSON (a stray print). */
export function jsonLine(line: string): unknown {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** The event a line of a worker's event stream holds (the line as jsonLine read it), or undefined for anything else. */
export function toEvent(v: unknown): JobEvent | undefined {
  if (!isObject(v)) return undefined;
  if (v["event"] === "log" && typeof v["line"] === "string") return { event: "log", line: v["line"] };
  if (v["event"] === "progress" && typeof v["fraction"] === "number") return { event: "progress", fraction: v["fraction"], ...(typeof v["text"] === "string" ? { text: v["text"] } : {}) };
  if (v["event"] === "result" && isObject(v["result"])) return { event: "result", result: v["result"] as unknown as JobResult };
  return undefined;
}

export interface JobPlace {
  inline?: number;
  store: string;
  out?: string;
  work?: string;
  incoming?: string;
  backend: BackendInfo;
  /** The run's engine choice (with this host's interpreter); the job gets the stage's own (`stageEngine`). */
  engine: EngineChoice;
  baseDir: string;
}

/** The job for one attempt of a stage; provenance only for report stages (the rest never read it). */
export function stageJob(run: { stage: Stage; key: string; upstream: ReadonlyMap<string, { key: string; stage: Stage }>; provenance(): ProvenanceFacts }, seer: string, where: JobPlace): StageJob {
  return {
    version: JOB_VERSION,
    seer,
    stage: run.stage,
    key: run.key,
    upstream: [...run.upstream].map(([name, u]) => ({ name, key: u.key, stage: u.stage })),
    ...where,
    engine: stageEngine(run.stage, where.engine),
    ...(run.stage.kind === "report" ? { provenance: run.provenance() } : {}),
  };
}
