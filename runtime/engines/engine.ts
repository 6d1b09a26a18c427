/**
 * Which engine runs a stage: TensorFlow.js (`tfjs`, every stage kind) or PyTorch (`torch`,
 * engines/torch/, for now `pretrain-swav` stages only). The user chooses one with `--engine`
 * (or `SEER_ENGINE`); a stage whose kind the chosen engine cannot run stays on tfjs.
 */
import type { Stage, StageKind } from "../../contract/graph.js";

export const ENGINE_NAMES = ["tfjs", "torch"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export const ENGINE_ENV_VAR = "SEER_ENGINE";

/** The engine of a run (or of one stage), and for torch the interpreter that has it. */
export interface EngineChoice {
  name: EngineName;
  /** torch: the Python interpreter to run the engine with. */
  python?: string;
  /** torch: ranks (processes) per host for a stage; default one per GPU the stage asks for, one on a CPU host. */
  procs?: number;
  /** torch: hosts (nodes) of a stage's process group; more than one spans SSH hosts of the inventory (`--nnodes`). */
  nodes?: number;
  /** torch, one job's own: its node's place in a process group across hosts (set by the dispatcher). */
  group?: NodeGroup;
}

/** One node of a torch process group across hosts: ranks `node * procs ...`, rendezvous at `addr:port` (node 0's host). */
export interface NodeGroup {
  node: number;
  nodes: number;
  addr: string;
  port: number;
}

export const PROCS_ENV_VAR = "SEER_NPROC_PER_NODE";
export const MAX_PROCS = 256;

/** Ranks per host from `--nproc-per-node` (or SEER_NPROC_PER_NODE): a whole number in 1..256; anything else is a usage error. */
export function parseProcs(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_PROCS) throw new ProcsError(text);
  return n;
}

export function resolveProcs(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const v = env[PROCS_ENV_VAR];
  return v !== undefined && v.trim() !== "" ? parseProcs(v) : undefined;
}

/** A bad `--nproc-per-node` or `--nnodes`: a usage error (exit 2). */
export class ProcsError extends Error {
  constructor(
    readonly text: string,
    message = `--nproc-per-node wants a whole number of processes from 1 to ${MAX_PROCS}, not '${text}'`,
  ) {
    super(message);
    this.name = "ProcsError";
  }
}

export const NODES_ENV_VAR = "SEER_NNODES";
export const MAX_NODES = 64;

/** Hosts of a process group from `--nnodes` (or SEER_NNODES): a whole number in 1..64; anything else is a usage error. */
export function parseNodes(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_NODES) throw new ProcsError(text, `--nnodes wants a whole number of hosts from 1 to ${MAX_NODES}, not '${text}'`);
  return n;
}

export function resolveNodes(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const v = env[NODES_ENV_VAR];
  return v !== undefined && v.trim() !== "" ? parseNodes(v) : undefined;
}

/** Ranks of a torch stage's process group as far as the run knows them: ranks per host times hosts. */
export function worldOf(choice: Pick<EngineChoice, "procs" | "nodes">): number {
  return (choice.procs ?? 1) * (choice.nodes ?? 1);
}

/** The stage kinds the torch engine runs; every other kind runs on tfjs. */
export const TORCH_STAGE_KINDS: readonly StageKind[] = ["pretrain-swav"];

/** An engine name that is not one: a usage error (the CLI exits 2). */
export class EngineNameError extends Error {
  constructor(readonly text: string) {
    super(`unknown engine '${text}'; expected one of ${ENGINE_NAMES.join(", ")}`);
    this.name = "EngineNameError";
  }
}

/** The chosen engine cannot run here (torch without an interpreter that has it): an environment problem, exit 3. */
export class EngineUnavailableError extends Error {
  constructor(
    message: string,
    /** How to fix it. */
    readonly help: string,
  ) {
    super(message);
    this.name = "EngineUnavailableError";
  }
}

export function parseEngine(s: string): EngineName {
  const t = s.trim().toLowerCase();
  const found = ENGINE_NAMES.find((n) => n === t);
  if (found === undefined) throw new EngineNameError(s);
  return found;
}

/** The option's value, else `SEER_ENGINE`, else tfjs. */
export function resolveEngine(option: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): EngineName {
  if (option !== undefined) return parseEngine(option);
  const fromEnv = env[ENGINE_ENV_VAR];
  return fromEnv !== undefined && fromEnv.trim() !== "" ? parseEngine(fromEnv) : "tfjs";
}

/** The engine that actually runs `stage` when the run asked for `engine`: the recipe's pin (a pretraining's `engine`) wins. */
export function runsOnEngine(stage: Stage, engine: EngineName): EngineName {
  if (stage.kind === "pretrain-swav" && stage.spec.engine !== null) return stage.spec.engine;
  return engine === "torch" && TORCH_STAGE_KINDS.includes(stage.kind) ? "torch" : "tfjs";
}

/** The run's choice narrowed to one stage: its engine, with the interpreter only where torch runs it. */
export function stageEngine(stage: Stage, choice: EngineChoice): EngineChoice {
  const name = runsOnEngine(stage, choice.name);
  if (name !== "torch") return { name };
  return {
    name,
    ...(choice.python !== undefined ? { python: choice.python } : {}),
    ...(choice.procs !== undefined ? { procs: choice.procs } : {}),
    ...(choice.nodes !== undefined ? { nodes: choice.nodes } : {}),
    ...(choice.group !== undefined ? { group: choice.group } : {}),
  };
}
