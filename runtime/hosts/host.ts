/**
 * A place stages run: this machine (in process or in worker processes), an SSH host or a
 * Slurm cluster. The dispatcher (dispatch.ts) chooses one per ready stage; the host moves the
 * stage's inputs there, runs `seer stage-exec` and fills the local `out` folder with the
 * outputs, checked against their hashes, which the scheduler then publishes.
 */
import type { Stage } from "../../compiler/lower/graph.js";
import type { InputStage, ProvenanceFacts } from "../exec/executors/context.js";

export type HostKind = "local" | "ssh" | "slurm";

export interface HostCapacity {
  /** Accelerators; 0: CPU only (its CPU pool counts as one for training stages). */
  gpus: number;
  /** Memory in bytes, when the inventory says. */
  memory?: number;
  /** Stages at once. */
  maxJobs: number;
  /** Training stages at once (one per accelerator; a batch system decides for itself). */
  maxTraining: number;
}

/** A published input of a stage: its local folder and its key. */
export interface KeyedInput extends InputStage {
  key: string;
}

/** One attempt of a stage on a host. */
export interface StageRun {
  stage: Stage;
  key: string;
  upstream: ReadonlyMap<string, KeyedInput>;
  /** The local folder to fill with the stage's outputs (published by the scheduler afterwards). */
  out: string;
  /** The local checkpoint folder (this machine only; remote hosts keep theirs on the host). */
  work: string;
  log(line: string): void;
  progress(fraction: number, text?: string): void;
  signal: AbortSignal;
  provenance(): ProvenanceFacts;
}

export interface Host {
  readonly name: string;
  readonly kind: HostKind;
  readonly capacity: HostCapacity;
  /** Whether the host already holds a published stage (placement prefers such hosts). */
  holds(key: string): boolean;
  run(job: StageRun): Promise<void>;
  /** Ends connections and anything still running there. */
  close(): Promise<void>;
}

/** The host stopped answering (connection lost, timed out): its stages go elsewhere. */
export class HostDownError extends Error {
  constructor(
    readonly host: string,
    detail: string,
  ) {
    super(`host ${host} is not answering: ${detail}`);
    this.name = "HostDownError";
  }
}

/** A stage failed on a host for a reason of its own (not the host's). */
export class StageFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StageFailedError";
  }
}
