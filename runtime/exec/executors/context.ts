/** What a stage executor gets: its stage, its inputs' published folders, where to write. */
import type { Tf } from "../../tfjs/tf.js";
import { isKind, type Stage, type StageKind, type StageOf } from "../../../contract/graph.js";
import type { BackendInfo } from "../../backend/select.js";
import type { EngineChoice } from "../../engines/engine.js";

export interface InputStage {
  stage: Stage;
  dir: string;
}

export interface StageContext {
  stage: Stage;
  key: string;
  /** Published stages by name: this stage's inputs and everything upstream of them. */
  upstream: ReadonlyMap<string, InputStage>;
  /** The (temporary) folder the stage writes its outputs into; published when it returns. */
  out: string;
  /** Scratch space kept across attempts (checkpoints), removed once the stage is published. */
  work: string;
  /** The root recipe's folder (relative dataset paths resolve against it, joined with a data stage's `dir`). */
  baseDir: string;
  tf: Tf;
  backend: BackendInfo;
  /** The engine that runs this stage (`runsOnEngine` of the run's choice): tfjs, or torch with its interpreter when known here. */
  engine: EngineChoice;
  workerUrl?: URL;
  log(line: string): void;
  progress(fraction: number, text?: string): void;
  signal: AbortSignal;
  /** Facts about the run for a report's provenance section. */
  provenance(): ProvenanceFacts;
}

export interface ProvenanceFacts {
  runId: string;
  recipe: string;
  seer: string;
  node: string;
  tfjs: string;
  /** The torch version, when the torch engine ran a stage of the run. */
  torch?: string;
  git: { commit: string; dirty: boolean } | null;
  stages: { name: string; kind: string; engine: string; id: string; status: "ran" | "cached" | "failed" | "skipped"; seconds: number; host: string }[];
}

export type Executor = (ctx: StageContext) => Promise<void>;

export class StageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StageError";
  }
}

export function input(ctx: StageContext, name: string): InputStage {
  const i = ctx.upstream.get(name);
  if (!i) throw new StageError(`${ctx.stage.name}: input ${name} is not published`);
  return i;
}

/** The context's stage as the kind its executor runs (a mismatch is a bug in the executor table). */
export function stageOf<K extends StageKind>(ctx: StageContext, kind: K): StageOf<K> {
  if (!isKind(ctx.stage, kind)) throw new StageError(`${ctx.stage.name} is a ${ctx.stage.kind} stage, not ${kind}`);
  return ctx.stage;
}

/** A published input of a given kind, by name. */
export function inputAs<K extends StageKind>(ctx: StageContext, name: string, kind: K): { stage: StageOf<K>; dir: string } {
  const i = input(ctx, name);
  if (!isKind(i.stage, kind)) throw new StageError(`${ctx.stage.name}: input ${name} is a ${i.stage.kind} stage, not ${kind}`);
  return { stage: i.stage, dir: i.dir };
}

export function inputOfKind(ctx: StageContext, kinds: readonly string[]): InputStage {
  for (const n of ctx.stage.inputs) {
    const i = input(ctx, n);
    if (kinds.includes(i.stage.kind)) return i;
  }
  throw new StageError(`${ctx.stage.name} has no input of kind ${kinds.join(" or ")}`);
}
