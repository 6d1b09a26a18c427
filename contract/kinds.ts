/**
 * The one table of stage kinds. It drives the schema's enum, the graph's shapes, which stages
 * compute with tensors (their engine and backend join the cache key), which train (one at a
 * time per accelerator) and which eval constructor lowers to which kind. The runtime's executor
 * table is typed `Record<StageKind, ...>`, so a kind added here without an executor does not
 * compile.
 */
export const STAGE_KINDS = {
  "prepare-data": { shape: "cylinder", compute: false, training: false, evalConstructor: null },
  "random-init": { shape: "box", compute: true, training: false, evalConstructor: null },
  "pretrain-swav": { shape: "box3d", compute: true, training: true, evalConstructor: null },
  "extract-features": { shape: "parallelogram", compute: true, training: false, evalConstructor: null },
  "linear-eval": { shape: "ellipse", compute: true, training: false, evalConstructor: "linear_probe" },
  "knn-eval": { shape: "ellipse", compute: true, training: false, evalConstructor: "knn" },
  "fairness-eval": { shape: "ellipse", compute: true, training: false, evalConstructor: "fairness" },
  "robustness-eval": { shape: "ellipse", compute: true, training: false, evalConstructor: "robustness" },
  "copy-detection-eval": { shape: "ellipse", compute: true, training: false, evalConstructor: "copy_detection" },
  report: { shape: "note", compute: false, training: false, evalConstructor: null },
} as const;

export type StageKind = keyof typeof STAGE_KINDS;
export const STAGE_KIND_NAMES = Object.keys(STAGE_KINDS) as StageKind[];

type EvalEntry = { [K in StageKind]: (typeof STAGE_KINDS)[K]["evalConstructor"] extends string ? K : never }[StageKind];
/** The stage kinds of evaluations. */
export type EvalKind = EvalEntry;
export type EvalConstructor = (typeof STAGE_KINDS)[EvalKind]["evalConstructor"];

/** The stage kind an eval constructor lowers to, or undefined for a constructor no stage runs. */
export function evalKindOf(constructor: string): EvalKind | undefined {
  for (const k of STAGE_KIND_NAMES) if (STAGE_KINDS[k].evalConstructor === constructor) return k as EvalKind;
  return undefined;
}

export const isComputeKind = (k: StageKind): boolean => STAGE_KINDS[k].compute;
export const isTrainingKind = (k: StageKind): boolean => STAGE_KINDS[k].training;
export const isEvalKind = (k: StageKind): k is EvalKind => STAGE_KINDS[k].evalConstructor !== null;
