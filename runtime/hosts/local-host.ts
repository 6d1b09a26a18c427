/**
 * This machine. One stage at a time runs in the `seer` process itself; when several may run
 * at once, each runs in its own `seer stage-exec` worker process, so independent stages use
 * separate cores (the wasm backend computes on one thread per process). Workers read inputs
 * from, and write outputs into, the project's own `.seer/`: nothing is copied.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import type { BackendInfo } from "../backend/select.js";
import type { Tf } from "../tfjs/tf.js";
import { loadExecutor } from "../exec/executors/index.js";
import type { Store } from "../exec/store.js";
import { EventFollower } from "./events.js";
import { stageJob, writeJob } from "./job.js";
import { StageFailedError, type Host, type HostCapacity, type StageRun } from "./host.js";

export interface LocalHostOptions {
  name: string;
  capacity: HostCapacity;
  store: Store;
  /** The project folder (the store's parent); workers run there. */
  projectDir: string;
  baseDir: string;
  backend: { tf: Tf; info: BackendInfo };
  workerUrl?: URL;
  seer: string;
  /** bin/seer.js of this installation, for worker processes. */
  seerBin: string;
}

export class LocalHost implements Host {
  readonly kind = "local" as const;
  readonly name: string;
  readonly capacity: HostCapacity;

  constructor(private readonly o: LocalHostOptions) {
    this.name = o.name;
    this.capacity = o.capacity;
  }

  holds(): boolean {
    return true;
  }

  run(job: StageRun): Promise<void> {
    return this.capacity.maxJobs > 1 ? this.inWorker(job) : this.inProcess(job);
  }

  private async inProcess(job: StageRun): Promise<void> {
    const executor = await loadExecutor(job.stage.kind);
    await executor({
      stage: job.stage,
      key: job.key,
      upstream: job.upstream,
      out: job.out,
      work: job.work,
      baseDir: this.o.baseDir,
      tf: this.o.backend.tf,
      backend: this.o.backend.info,
      ...(this.o.workerUrl ? { workerUrl: this.o.workerUrl } : {}),
      log: job.log,
      progress: job.progress,
      signal: job.signal,
      provenance: job.provenance,
    });
  }

  private async inWorker(job: StageRun): Promise<void> {
    const jobDir = path.join(this.o.store.root, "tmp", `job-${path.basename(job.out)}`);
    mkdirSync(jobDir, { recursive: true });
    try {
      writeJob(jobDir, stageJob(job, this.o.seer, { store: path.resolve(this.o.projectDir), out: path.resolve(job.out), work: path.resolve(job.work), backend: this.o.backend.info, baseDir: path.resolve(this.o.baseDir) }));
      const child = execa(process.execPath, [this.o.seerBin, "stage-exec", jobDir], { cwd: this.o.projectDir, stdin: "ignore", stderr: "pipe", reject: false, encoding: "utf8" });
      const stop = () => child.kill("SIGTERM");
      job.signal.addEventListener("abort", stop);
      const events = new EventFollower(job);
      child.stdout.setEncoding("utf8").on("data", (c: string) => events.push(c));
      const r = await child;
      job.signal.removeEventListener("abort", stop);
      events.end();
      const result = events.result;
      if (result?.ok) return;
      const stderr = typeof r.stderr === "string" ? r.stderr.trim() : "";
      throw new StageFailedError(result ? result.error : `the worker process ended without a result (${r.signalDescription ?? `exit ${r.exitCode}`})${stderr ? `: ${stderr.split("\n").slice(-3).join(" | ")}` : ""}`);
    } finally {
      rmSync(jobDir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    // nothing held
  }
}
