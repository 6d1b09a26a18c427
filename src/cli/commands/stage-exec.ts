/**
 * `seer stage-exec JOBDIR` (hidden): runs one stage described by JOBDIR/job.json and writes
 * JOBDIR/result.json; what `seer run` starts in a child process, on an SSH host or inside a
 * Slurm job. Events go to stdout as JSON lines (or are appended to `--events FILE`).
 * SIGINT/SIGTERM, and with `--watch-stdin` the end of standard input (the ssh connection
 * closing), cancel: a pretraining saves a checkpoint first.
 */
import { appendFileSync } from "node:fs";
import { hostname } from "node:os";
import type { JobEvent } from "../../../runtime/hosts/job.js";
import { EXIT } from "../errors.js";
import { SEER_VERSION } from "../version.js";
import { bundledWorkerUrl } from "./job.js";

export interface StageExecOptions {
  events?: string;
  watchStdin?: boolean;
}

export async function runStageExec(jobDir: string, o: StageExecOptions): Promise<number> {
  const { runJob } = await import("../../../runtime/hosts/worker.js");
  const abort = new AbortController();
  const cancel = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on("SIGINT", cancel);
  process.on("SIGTERM", cancel);
  if (o.watchStdin) {
    process.stdin.on("end", cancel);
    process.stdin.on("error", cancel);
    process.stdin.resume();
  }
  const emit = (e: JobEvent) => {
    const line = `${JSON.stringify(e)}\n`;
    if (o.events) appendFileSync(o.events, line);
    else process.stdout.write(line);
  };
  const workerUrl = bundledWorkerUrl();
  const r = await runJob(jobDir, { emit, signal: abort.signal, host: hostname(), seer: SEER_VERSION, ...(workerUrl ? { workerUrl } : {}) });
  if (o.watchStdin) process.stdin.destroy();
  if (!r.ok) process.stderr.write(`seer stage-exec: ${r.error}\n`);
  return r.ok ? EXIT.ok : r.cancelled ? 130 : EXIT.runtime;
}
