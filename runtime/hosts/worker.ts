/**
 * The one-stage worker behind `seer stage-exec JOBDIR`: takes the inputs that came with the
 * job into its store (each checked against its manifest), runs the stage's executor (the same
 * code as an in-process run), and either publishes the output into the store or leaves it in
 * the job's `out` folder for the caller, who hashes it as it publishes. Checkpoints live in
 * the store's work folder, so a retried, requeued or preempted job resumes where the last one
 * stopped.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { Tf } from "../tfjs/tf.js";
import { loadExecutor } from "../exec/executors/index.js";
import { StageError, type InputStage, type StageContext } from "../exec/executors/context.js";
import { usesBackend } from "../exec/keys.js";
import { Store, type ManifestFile } from "../exec/store.js";
import { JobError, jobPath, readJob, writeResult, type JobEvent, type JobResult, type StageJob } from "./job.js";

export interface WorkerOptions {
  emit(e: JobEvent): void;
  signal: AbortSignal;
  /** This machine's name, for the result. */
  host: string;
  seer: string;
  workerUrl?: URL;
}

/** Stages that do not compute with tensors never load TensorFlow.js; touching `tf` there is a bug. */
const NO_TF = new Proxy({}, {
  get(_t, prop) {
    throw new StageError(`this stage kind does not load TensorFlow.js (it read tf.${String(prop)})`);
  },
}) as Tf;

function takeIncoming(store: Store, job: StageJob, jobDir: string): void {
  if (!job.incoming) return;
  const dir = jobPath(jobDir, job.incoming);
  if (!existsSync(dir)) return;
  for (const key of readdirSync(dir)) {
    const r = store.adopt(path.join(dir, key), key);
    if (r.state !== "ok") throw new JobError(`an input that arrived with the job is damaged (${key.slice(0, 12)}: ${r.state === "corrupt" ? r.why : "missing"})`);
  }
  rmSync(dir, { recursive: true, force: true });
}

function upstreamOf(store: Store, job: StageJob): Map<string, InputStage> {
  const out = new Map<string, InputStage>();
  for (const u of job.upstream) {
    const r = store.lookup(u.key, true);
    if (r.state !== "ok") throw new JobError(`input ${u.name} is not here (${r.state === "corrupt" ? r.why : "missing"})`);
    out.set(u.name, { stage: u.stage, dir: r.published.dir });
  }
  return out;
}

async function execute(job: StageJob, jobDir: string, store: Store, out: string, o: WorkerOptions): Promise<void> {
  const upstream = upstreamOf(store, job);
  const executor = await loadExecutor(job.stage.kind);
  let tf = NO_TF;
  if (usesBackend(job.stage)) {
    const { selectBackend } = await import("../backend/select.js");
    tf = (await selectBackend({ backend: job.backend.name })).tf;
  }
  const ctx: StageContext = {
    stage: job.stage,
    key: job.key,
    upstream,
    out,
    work: job.work ? jobPath(jobDir, job.work) : store.workDir(job.key),
    baseDir: job.baseDir,
    tf,
    backend: job.backend,
    engine: job.engine,
    ...(o.workerUrl ? { workerUrl: o.workerUrl } : {}),
    log: (line) => o.emit({ event: "log", line }),
    progress: (fraction, text) => o.emit({ event: "progress", fraction, ...(text !== undefined ? { text } : {}) }),
    signal: o.signal,
    provenance: () => {
      if (!job.provenance) throw new JobError(`${job.stage.name}: the job carries no provenance`);
      return job.provenance;
    },
  };
  await executor(ctx);
  if (o.signal.aborted) throw new JobError("cancelled");
}

/** Small outputs, read back from the published folder, to travel inside the result. */
function inlined(job: StageJob, dir: string, files: readonly ManifestFile[]): { inline?: Record<string, string> } {
  if (!job.inline || files.reduce((a, f) => a + f.bytes, 0) > job.inline) return {};
  return { inline: Object.fromEntries(files.map((f) => [f.path, readFileSync(path.join(dir, f.path)).toString("base64")])) };
}

/** Runs the job in `jobDir`; writes and returns its result (also on failure). */
export async function runJob(jobDir: string, o: WorkerOptions): Promise<JobResult> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  let job: StageJob | undefined;
  let tmp: string | undefined;
  let result: JobResult;
  try {
    job = readJob(jobDir, o.seer);
    const store = new Store(jobPath(jobDir, job.store));
    takeIncoming(store, job, jobDir);
    const have = job.out ? undefined : store.lookup(job.key);
    if (have?.state === "ok") {
      result = { ok: true, digest: have.published.manifest.digest, files: have.published.manifest.files, seconds: seconds(), reused: true, host: o.host, ...inlined(job, have.published.dir, have.published.manifest.files) };
    } else {
      const out = job.out ? jobPath(jobDir, job.out) : (tmp = store.tempDir());
      await execute(job, jobDir, store, out, o);
      if (job.out) result = { ok: true, seconds: seconds(), reused: false, host: o.host };
      else {
        const pub = store.publish(out, { key: job.key, name: job.stage.name, kind: job.stage.kind, seconds: seconds() });
        tmp = undefined;
        rmSync(store.workDir(job.key), { recursive: true, force: true });
        const { files, digest } = pub.manifest;
        result = { ok: true, digest, files, seconds: seconds(), reused: false, host: o.host, ...inlined(job, pub.dir, files) };
      }
    }
  } catch (e) {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    const error = e instanceof Error ? e.message : String(e);
    result = { ok: false, error, cancelled: o.signal.aborted, seconds: seconds(), host: o.host };
  }
  if (existsSync(jobDir)) writeResult(jobDir, result);
  o.emit({ event: "result", result });
  return result;
}
