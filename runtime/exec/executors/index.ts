/** The executor of each stage kind. */
import type { StageKind } from "../../../compiler/lower/graph.js";
import type { Executor } from "./context.js";
import { evaluate } from "./evals.js";
import { extractFeatures } from "./features.js";
import { prepareData } from "./prepare-data.js";
import { pretrainSwav } from "./pretrain.js";
import { report } from "./report.js";
import { randomInit } from "./trunk.js";

export const EXECUTORS: Record<StageKind, Executor> = {
  "prepare-data": prepareData,
  "random-init": randomInit,
  "pretrain-swav": pretrainSwav,
  "extract-features": extractFeatures,
  "linear-eval": evaluate,
  "knn-eval": evaluate,
  "fairness-eval": evaluate,
  "robustness-eval": evaluate,
  "copy-detection-eval": evaluate,
  report,
};
