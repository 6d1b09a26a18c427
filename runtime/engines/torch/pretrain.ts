/**
 * `pretrain-swav` on the torch engine: writes the worker's job and starts the stage's ranks.
 * Rank 0 writes into the work folder what the tfjs engine writes there (`trunk.seerckpt`,
 * `metrics.jsonl`, `summary.json`, telemetry, checkpoints); the executor publishes them alike
 * for both engines. As one node of a process group across hosts (`group`), it starts this
 * host's ranks of the group; only node 0 (holding rank 0) has anything to publish.
 */
import { availableParallelism, hostname } from "node:os";
import type { StageOf } from "../../../contract/graph.js";
import type { NodeGroup } from "../engine.js";
import { writePretrainJob } from "./job.js";
import { launchRanks } from "./launch.js";

export interface TorchPretrainOptions {
  stage: StageOf<"pretrain-swav">;
  dataset: Parameters<typeof writePretrainJob>[1];
  split: string | undefined;
  work: string;
  python: string;
  packageDir: string;
  /** Ranks of the process group: on this host, or across the Slurm allocation with `srun`. */
  ranks: number;
  /** Inside a Slurm allocation of `ranks` tasks: the srun that starts them. */
  srun?: string;
  /** Ranks on this node (for sharing its cores); default `ranks`. */
  ranksPerNode?: number;
  device: "cpu" | "cuda" | "auto";
  /** GPUs on this host (0: train on the CPU). */
  gpus: number;
  /** This host is one node of a process group across hosts, each running `ranks` ranks. */
  group?: NodeGroup;
  log(line: string): void;
  progress(fraction: number, text?: string): void;
  signal?: AbortSignal;
}

/**
 * Threads per rank and loader processes from the host's cores. On CPUs the step computes on the
 * cores and one makes batches when there is one to spare; on a GPU the step needs a thread or
 * two and the rest make batches (augmentation is per image on the CPU).
 */
export function cpuShare(ranks: number, cores = availableParallelism(), gpu = false): { threads: number; loaderWorkers: number } {
  const perRank = Math.max(1, Math.floor(cores / ranks));
  if (gpu) return { threads: Math.min(2, perRank), loaderWorkers: Math.max(1, perRank - 2) };
  return perRank >= 2 ? { threads: perRank - 1, loaderWorkers: 1 } : { threads: 1, loaderWorkers: 0 };
}

export async function pretrainOnTorch(o: TorchPretrainOptions): Promise<Record<string, unknown>> {
  const share = cpuShare(o.ranksPerNode ?? o.ranks, availableParallelism(), o.gpus > 0);
  const jobFile = await writePretrainJob(o.stage, o.dataset, o.split, o.work, { ...share, device: o.device, rendezvousTimeoutS: 300 }, o.signal);
  const g = o.group;
  const where = o.srun ? "started by srun in this Slurm allocation" : g ? `on ${hostname()}, node ${g.node} of ${g.nodes} of a process group of ${g.nodes * o.ranks} ranks across hosts (ranks ${g.node * o.ranks}..${(g.node + 1) * o.ranks - 1}; rendezvous at ${g.addr}:${g.port})` : "on this host";
  o.log(`engine: torch (${o.python}), ${o.ranks} rank${o.ranks === 1 ? "" : "s"} ${where}, ${share.threads} thread${share.threads === 1 ? "" : "s"} each, ${share.loaderWorkers} loader process${share.loaderWorkers === 1 ? "" : "es"}`);
  const result = await launchRanks({
    python: o.python, packageDir: o.packageDir, jobFile, ranks: o.ranks, ...(o.srun ? { srun: o.srun } : {}), log: o.log,
    ...(g ? { group: { firstRank: g.node * o.ranks, world: g.nodes * o.ranks, addr: g.addr, port: g.port } } : {}),
    progress: (step, total) => o.progress(step / total, `step ${step}/${total}`),
    ...(o.signal ? { signal: o.signal } : {}),
    env: { OMP_NUM_THREADS: String(share.threads) },
  });
  return result;
}
