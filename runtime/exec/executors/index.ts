/**
 * The executor of each stage kind, loaded on first use: a worker process running one
 * `prepare-data` or `report` stage never loads TensorFlow.js.
 */
import type { StageKind } from "../../../contract/graph.js";
import type { Executor } from "./context.js";

const evaluate = async (): Promise<Executor> => (await import("./evals.js")).evaluate;

const LOADERS: Record<StageKind, () => Promise<Executor>> = {
  "prepare-data": async () => (await import("./prepare-data.js")).prepareData,
  "random-init": async () => (await import("./trunk.js")).randomInit,
  "pretrain-swav": async () => (await import("./pretrain.js")).pretrainSwav,
  "extract-features": async () => (await import("./features.js")).extractFeatures,
  "linear-eval": evaluate,
  "knn-eval": evaluate,
  "fairness-eval": evaluate,
  "robustness-eval": evaluate,
  "copy-detection-eval": evaluate,
  report: async () => (await import("./report.js")).report,
};

export function loadExecutor(kind: StageKind): Promise<Executor> {
  return LOADERS[kind]();
}
