/**
 * This machine. One stage at a time runs in the `seer` process itself; when several may run
 * at once, they run in long-lived `seer stage-exec --serve` worker processes (one per slot),
 * so independent stages use separate cores (the wasm backend computes on one thread per
 * process) and TensorFlow.js loads once per worker, not once per stage. Workers read inputs
 * from, and write outputs into, the project's own `.seer/`: nothing is copied.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import type { BackendInfo } from "../backend/select.js";
import { stageEngine, type EngineChoice } from "../engines/engine.js";
import type { Tf } from "../tfjs/tf.js";
import { loadExecutor } from "../exec/executors/index.js";
import type { Store } from "../exec/store.js";
import { AgentLostError, AgentPool } from "./agents.js";
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
  /** The run's engine choice, with this machine's interpreter for torch. */
  engine: EngineChoice;
  workerUrl?: URL;
  seer: string;
  /** bin/seer.js of this installation, for worker processes. */
  seerBin: string;
}

export class LocalHost implements Host {
  readonly kind = "local" as const;
  readonly name: string;
  readonly capacity: HostCapacity;

  private readonly agents: AgentPool;

  constructor(private readonly o: LocalHostOptions) {
    this.name = o.name;
    this.capacity = o.capacity;
    this.agents = new AgentPool(() => execa(process.execPath, [o.seerBin, "stage-exec", "--serve"], { cwd: o.projectDir, stdin: "pipe", stdout: "pipe", stderr: "pipe", reject: false, encoding: "utf8" }));
  }

  holds(): boolean {
    return true;
  }

  run(job: StageRun): Promise<void> {
    return this.capacity.maxJobs > 1 ? this.inWorker(job) : this.inProcess(job);
  }

  private async inProcess(job: StageRun): Promise<void> {
    const executor = await loadExecutor(job.stage.kind);
    await executor({ ...job, baseDir: this.o.baseDir, tf: this.o.backend.tf, backend: this.o.backend.info, engine: stageEngine(job.stage, this.o.engine), ...(this.o.workerUrl ? { workerUrl: this.o.workerUrl } : {}) });
  }

  private async inWorker(job: StageRun): Promise<void> {
    const jobDir = path.join(this.o.store.root, "tmp", `job-${path.basename(job.out)}`);
    mkdirSync(jobDir, { recursive: true });
    try {
      writeJob(jobDir, stageJob(job, this.o.seer, { store: path.resolve(this.o.projectDir), out: path.resolve(job.out), work: path.resolve(job.work), backend: this.o.backend.info, engine: this.o.engine, baseDir: path.resolve(this.o.baseDir) }));
      const result = await this.agents.run(jobDir, job);
      if (!result.ok) throw new StageFailedError(result.error);
    } catch (e) {
      throw e instanceof AgentLostError ? new StageFailedError(e.message) : e;
    } finally {
      rmSync(jobDir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await this.agents.close();
  }
}
