/**
 * The execution graph: the versioned contract between the compiler and any runtime, in any
 * language. A stage's id is a content hash of its kind, its spec, the ids of its inputs and the
 * seer version: change any of them and the stage (and everything downstream) gets a new id.
 * Dataset fingerprints and the engine/backend class join the key when a plan is made.
 */
import { isEvalKind, type EvalKind, type StageKind } from "./kinds.js";
export type { StageKind } from "./kinds.js";
import type { CopyDetectionEvalSpec, DatasetSpec, ExtractFeaturesSpec, FairnessEvalSpec, KnnEvalSpec, LinearEvalSpec, PretrainSwavSpec, RandomInitSpec, ReportSpec, RobustnessEvalSpec } from "./specs.js";

export const GRAPH_VERSION = 2;

/** Each stage kind's spec. */
export interface SpecOf {
  "prepare-data": DatasetSpec;
  "random-init": RandomInitSpec;
  "pretrain-swav": PretrainSwavSpec;
  "extract-features": ExtractFeaturesSpec;
  "linear-eval": LinearEvalSpec;
  "knn-eval": KnnEvalSpec;
  "fairness-eval": FairnessEvalSpec;
  "robustness-eval": RobustnessEvalSpec;
  "copy-detection-eval": CopyDetectionEvalSpec;
  report: ReportSpec;
}

interface StageBase {
  /** `sha256:` + hex digest of kind, spec, input ids and seer version. */
  id: string;
  /** Readable, unique within the graph: `pretrain/swav_tiny`, `eval/quickstart/swav_tiny.pool/linear`. */
  name: string;
  /** Names of the stages this one reads. */
  inputs: string[];
  resources: { gpus: number; cpu: boolean };
  /** Where in the recipe it comes from. */
  source: { file: string; declaration: string };
}

/** Any stage: a union discriminated by `kind`. */
export type Stage = { [K in StageKind]: StageBase & { kind: K; spec: SpecOf[K] } }[StageKind];

/** A stage of one kind with its spec. */
export type StageOf<K extends StageKind> = Extract<Stage, { kind: K }>;

export interface ExecGraph {
  version: typeof GRAPH_VERSION;
  seer: string;
  recipe: string;
  stages: Stage[];
}


/** True when `s` is of kind `k` (narrows it to that kind's spec). */
export function isKind<K extends StageKind>(s: Stage, k: K): s is StageOf<K> {
  return s.kind === k;
}

/** True when `s` is an evaluation stage. */
export function isEvalStage(s: Stage): s is StageOf<EvalKind> {
  return isEvalKind(s.kind);
}
