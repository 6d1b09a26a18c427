/**
 * A place stages run: this machine (in process or in worker processes), an SSH host or a
 * Slurm cluster. The dispatcher (dispatch.ts) chooses one per ready stage; the host moves the
 * stage's inputs there, runs `seer stage-exec` and fills the local `out` folder with the
 * outputs, which the scheduler then publishes: outputs copied from another host only when
 * they match the hashes it reported.
 */
import type { EngineName, NodeGroup } from "../engines/engine.js";
import type { StageContext } from "../exec/executors/context.js";
import type { KeyedInput } from "../exec/scheduler.js";
import type { ExpectedFiles } from "../exec/store.js";

export type HostKind = "local" | "ssh" | "slurm";

export interface HostCapacity {
  /** Accelerators; 0: CPU only (its CPU pool counts as one for training stages). */
  gpus: number;
  /** Memory in bytes, when the inventory says. */
  memory?: number;
  /** The accelerator its GPUs are (`hardware` in the inventory), when it says. */
  hardware?: string;
  /** Stages at once. */
  maxJobs: number;
  /** Training stages at once (one per accelerator; a batch system decides for itself). */
  maxTraining: number;
  /** The engines it runs (absent: tfjs only). */
  engines?: readonly EngineName[];
}

/**
 * One attempt of a stage on a host: what its executor gets but what the host supplies (the
 * backend, the engine, the recipe's folder), with keyed inputs. `out` is the local folder to fill with the
 * stage's outputs (published by the scheduler afterwards); `work` the local checkpoint folder
 * (this machine only; remote hosts keep theirs on the host).
 */
export type StageRun = Omit<StageContext, "upstream" | "tf" | "backend" | "engine" | "baseDir" | "workerUrl"> & {
  upstream: ReadonlyMap<string, KeyedInput>;
};

export interface Host {
  readonly name: string;
  readonly kind: HostKind;
  readonly capacity: HostCapacity;
  /** Whether the host already holds a published stage (placement prefers such hosts). */
  holds(key: string): boolean;
  /** Fills `job.out`; outputs copied from elsewhere come with what the host reported of them (checked as they are published). */
  run(job: StageRun): Promise<ExpectedFiles | void>;
  /** Ends connections and anything still running there. */
  close(): Promise<void>;
}

/** A host that can be one node of a torch process group across hosts (an SSH host). */
export interface NodeHost extends Host {
  /** Where the other nodes reach this host: its inventory address without the user. */
  readonly reachAt: string;
  /** Runs the stage as node `group.node` of the group; only node 0 fills `job.out`. */
  runNode(job: StageRun, group: NodeGroup): Promise<ExpectedFiles | undefined>;
}

export function isNodeHost(h: Host): h is NodeHost {
  return "runNode" in h && "reachAt" in h;
}

/** The host stopped answering (connection lost, timed out): its stages go elsewhere. */
export class HostDownError extends Error {
  constructor(
    readonly host: string,
    /** What went wrong, without the host. */
    readonly detail: string,
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
