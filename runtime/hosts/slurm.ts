/**
 * Slurm by its commands: the batch script of one stage (or a job array of several with the
 * same request), `sbatch --parsable`, the states `squeue` reports, and what they mean to seer.
 * Pure functions: slurm-host.ts runs them.
 */
import type { Stage } from "../../contract/graph.js";
import { stageEngine, type EngineChoice } from "../engines/engine.js";
import type { SlurmSpec } from "./inventory.js";
import { EVENTS_FILE } from "./job.js";
import { shellCommand, shq } from "./shell.js";

export interface BatchRequest {
  partition?: string;
  account?: string;
  timeLimit?: string;
  /** GPUs per node. */
  gpus: number;
  /** A torch stage's process group: nodes, and tasks (ranks, started by srun) per node; absent: one task. */
  nodes?: number;
  tasksPerNode?: number;
  cpusPerTask?: number;
  /** Megabytes. */
  memoryMb?: number;
}

/**
 * What a stage asks Slurm for: GPUs only where the cluster has them, memory from the estimate
 * (with room to spare). A torch stage asks for its process group: one task per GPU on as many
 * nodes as its GPUs need (`--nproc-per-node` tasks per node on CPU clusters).
 */
export function requestFor(spec: SlurmSpec, stage: Stage, memoryBytes: number | undefined, engine: EngineChoice = { name: "tfjs" }): BatchRequest {
  const group = stageEngine(stage, engine).name === "torch" ? processGroup(spec, stage, engine.procs) : null;
  return {
    ...(spec.partition ? { partition: spec.partition } : {}),
    ...(spec.account ? { account: spec.account } : {}),
    ...(spec.timeLimit ? { timeLimit: spec.timeLimit } : {}),
    gpus: spec.gpusPerNode > 0 ? (group ? group.gpusPerNode : stage.resources.gpus) : 0,
    ...(group && group.nodes * group.tasksPerNode > 1 ? { nodes: group.nodes, tasksPerNode: group.tasksPerNode } : {}),
    ...(spec.cpusPerTask ? { cpusPerTask: spec.cpusPerTask } : {}),
    ...(memoryBytes !== undefined ? { memoryMb: Math.ceil((memoryBytes * 1.5) / 2 ** 20) + 1024 } : {}),
  };
}

/** A torch stage's ranks on the cluster: per node one per GPU (at most the node's), else `procs` (default 1). */
function processGroup(spec: SlurmSpec, stage: Stage, procs: number | undefined): { nodes: number; tasksPerNode: number; gpusPerNode: number } {
  const gpus = spec.gpusPerNode > 0 ? stage.resources.gpus : 0;
  if (gpus === 0) return { nodes: 1, tasksPerNode: procs ?? 1, gpusPerNode: 0 };
  const perNode = Math.min(procs ?? spec.gpusPerNode, spec.gpusPerNode, gpus);
  return { nodes: Math.ceil(gpus / perNode), tasksPerNode: perNode, gpusPerNode: perNode };
}

/** Stages with the same request can share one job array. */
export const requestKey = (r: BatchRequest): string => JSON.stringify(r);

/** A job name Slurm and `squeue` show: the stage name in plain characters. */
export function jobName(stageName: string): string {
  return `seer-${stageName.replace(/[^A-Za-z0-9_.-]+/g, "_")}`.slice(0, 64);
}

/**
 * The batch script for one job folder or an array of them. Directives carry only values the
 * inventory schema restricts to plain characters; paths are single-quoted in the script.
 */
export function batchScript(r: BatchRequest, o: { name: string; workdir: string; seer: readonly string[]; jobDirs: readonly string[] }): string {
  const d = (s: string) => `#SBATCH ${s}`;
  return [
    "#!/bin/bash",
    d(`--job-name=${o.name}`),
    ...(r.partition ? [d(`--partition=${r.partition}`)] : []),
    ...(r.account ? [d(`--account=${r.account}`)] : []),
    ...(r.timeLimit ? [d(`--time=${r.timeLimit}`)] : []),
    ...(r.gpus > 0 ? [d(`--gres=gpu:${r.gpus}`)] : []),
    ...(r.cpusPerTask ? [d(`--cpus-per-task=${r.cpusPerTask}`)] : []),
    ...(r.memoryMb ? [d(`--mem=${r.memoryMb}M`)] : []),
    d(`--nodes=${r.nodes ?? 1}`),
    r.tasksPerNode ? d(`--ntasks-per-node=${r.tasksPerNode}`) : d("--ntasks=1"),
    d("--requeue"),
    d("--open-mode=append"),
    ...(o.jobDirs.length > 1 ? [d(`--array=0-${o.jobDirs.length - 1}`)] : []),
    r.tasksPerNode
      ? "# One seer stage; it starts its torch ranks with srun, one per task. A requeued or preempted job resumes from the stage's checkpoints."
      : "# One seer stage per task; a requeued or preempted task resumes from the stage's checkpoints.",
    `JOBS=(${o.jobDirs.map(shq).join(" ")})`,
    'JOB="${JOBS[${SLURM_ARRAY_TASK_ID:-0}]}"',
    `cd ${shq(o.workdir)} || exit 3`,
    `exec ${shellCommand(o.seer)} stage-exec --events "$JOB/${EVENTS_FILE}" "$JOB"`,
    "",
  ].join("\n");
}

/** `sbatch --parsable` prints `JOBID` or `JOBID;CLUSTER`. */
export function parseSubmitted(stdout: string): string | undefined {
  const m = /^(\d+)(;\S+)?\s*$/.exec(stdout.trim());
  return m?.[1];
}

export type JobPhase = "waiting" | "running" | "done" | "failed" | "gone";

const WAITING = new Set(["PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT"]);
const RUNNING = new Set(["RUNNING", "COMPLETING"]);

export function phaseOf(state: string | undefined): JobPhase {
  if (state === undefined) return "gone";
  const s = state.replace(/\+$/, "");
  if (WAITING.has(s)) return "waiting";
  if (RUNNING.has(s)) return "running";
  if (s === "COMPLETED") return "done";
  return "failed";
}

export interface QueuedJob {
  state: string;
  /** How often Slurm has requeued it (preemption, node failure, `scontrol requeue`). */
  restarts: number;
}

/** The squeue arguments whose output parseQueue reads: every task of these jobs, in any state. */
export function queueArgs(ids: readonly string[]): string[] {
  return ["squeue", "-h", "-r", "-t", "all", "-j", ids.join(","), "-O", "JobArrayID:|,State:|,RestartCnt:"];
}

/** `123_4|RUNNING|0` lines: task id (`123` or `123_4`) -> state and restarts. */
export function parseQueue(stdout: string): Map<string, QueuedJob> {
  const out = new Map<string, QueuedJob>();
  for (const line of stdout.split("\n")) {
    const [id, state, restarts] = line.split("|").map((x) => x.trim());
    if (id && state) out.set(id, { state, restarts: Number(restarts) || 0 });
  }
  return out;
}
