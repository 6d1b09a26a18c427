/**
 * `seer stage-exec JOBDIR` (hidden): runs one stage described by JOBDIR/job.json and writes
 * JOBDIR/result.json; what a Slurm job runs. Events go to stdout as JSON lines (or are
 * appended to `--events FILE`). `seer stage-exec --serve` is the long-lived form that `seer
 * run` keeps per slot of a host: it reads `{"run": JOBDIR}` and `{"cancel": JOBDIR}` lines on
 * standard input, runs jobs one after another, tags each event with its job, and when its
 * input ends (the run is over, the connection dropped) cancels what it runs and exits.
 * SIGINT/SIGTERM cancel too: a pretraining saves a checkpoint first.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { createInterface } from "node:readline";
import { writeJob, type JobEvent, type JobResult, type StageJob } from "../../../runtime/hosts/job.js";
import { EXIT, UsageError } from "../errors.js";
import { SEER_VERSION } from "../version.js";
import { bundledWorkerUrl } from "./job.js";

export interface StageExecOptions {
  events?: string;
  serve?: boolean;
}

function onSignals(cancel: () => void): void {
  let again = false;
  const handler = () => {
    if (again) process.exit(130);
    again = true;
    cancel();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

/** The worker, loaded on first use: runs one job folder here, as this machine and this seer. */
async function jobRunner(): Promise<(jobDir: string, emit: (e: JobEvent) => void, signal: AbortSignal) => Promise<JobResult>> {
  const { runJob } = await import("../../../runtime/hosts/worker.js");
  const workerUrl = bundledWorkerUrl();
  return (jobDir, emit, signal) => runJob(jobDir, { emit, signal, host: hostname(), seer: SEER_VERSION, ...(workerUrl ? { workerUrl } : {}) });
}

async function once(jobDir: string, o: StageExecOptions): Promise<number> {
  const runJob = await jobRunner();
  const abort = new AbortController();
  onSignals(() => abort.abort());
  const emit = (e: JobEvent) => {
    const line = `${JSON.stringify(e)}\n`;
    if (o.events) appendFileSync(o.events, line);
    else process.stdout.write(line);
  };
  const r = await runJob(jobDir, emit, abort.signal);
  if (!r.ok) process.stderr.write(`seer stage-exec: ${r.error}\n`);
  return r.ok ? EXIT.ok : r.cancelled ? 130 : EXIT.runtime;
}

async function serve(): Promise<number> {
  const runJob = await jobRunner();
  const queue: string[] = [];
  let current: { dir: string; abort: AbortController } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const stopAll = () => {
    ended = true;
    queue.length = 0;
    current?.abort.abort();
    wake?.();
  };
  onSignals(stopAll);
  const input = createInterface({ input: process.stdin });
  input.on("line", (line) => {
    let msg: { run?: unknown; cancel?: unknown; job?: StageJob };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.run === "string") {
      if (msg.job) {
        mkdirSync(msg.run, { recursive: true });
        writeJob(msg.run, msg.job);
      }
      queue.push(msg.run);
    }
    if (typeof msg.cancel === "string") {
      if (current?.dir === msg.cancel) current.abort.abort();
      const i = queue.indexOf(msg.cancel);
      if (i >= 0) queue.splice(i, 1);
    }
    wake?.();
  });
  input.on("close", stopAll);
  for (;;) {
    const dir = queue.shift();
    if (dir === undefined) {
      if (ended) return EXIT.ok;
      await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }
    current = { dir, abort: new AbortController() };
    const emit = (e: JobEvent) => void process.stdout.write(`${JSON.stringify({ job: dir, ...e })}\n`);
    await runJob(dir, emit, current.abort.signal);
    current = undefined;
  }
}

export async function runStageExec(jobDir: string | undefined, o: StageExecOptions): Promise<number> {
  if (o.serve) return serve();
  if (!jobDir) throw new UsageError("`seer stage-exec` needs a job folder (or --serve).");
  return once(jobDir, o);
}
