/**
 * From a `pretrain-swav` spec (contract/specs.ts) to everything `swavStep` needs. The trunk comes from elsewhere: its function, its parameters
 * and the width of its pooled features. One process trains on the whole global batch.
 */
import type * as tf from "@tensorflow/tfjs";
import type { OptimizerSpec, PretrainSwavSpec } from "../../contract/specs.js";
import { toSteps, type RunShape } from "../optim/duration.js";
import { Lars, isBatchNormOrBias } from "../optim/lars.js";
import type { NamedVariables, Optimizer } from "../optim/optimizer.js";
import { scheduleFromRecipe } from "../optim/schedule.js";
import { Sgd } from "../optim/sgd.js";
import { assigningCrops } from "./crops.js";
import { SwavHead } from "./head.js";
import { EmbeddingQueue } from "./queue.js";
import { swavParameters, type SwavStepSetup, type Trunk } from "./swav-step.js";

/** The parts of a `pretrain-swav` spec the training step uses. */
export type SwavRecipe = Pick<PretrainSwavSpec, "crops" | "head" | "prototypes" | "temperature" | "sinkhorn" | "queue" | "freeze_prototypes" | "optimizer" | "schedule" | "batch" | "duration" | "seed">;

export interface TrunkBinding {
  trunk: Trunk;
  params: NamedVariables;
  /** Width of the trunk's pooled features (the head's input). */
  featureDim: number;
  /** Optimiser steps per epoch of the pretraining data. */
  stepsPerEpoch: number;
  /** BN and bias parameters (excluded from LARS when `exclude_bn_bias`). Default: `isBatchNormOrBias`. */
  isBatchNormOrBias?: (name: string) => boolean;
}

export interface SwavRun {
  setup: SwavStepSetup;
  totalSteps: number;
  run: RunShape;
  /** Disposes the head, the optimiser state and the queue (not the trunk's parameters). */
  dispose(): void;
}

export function swavRunFromRecipe(recipe: SwavRecipe, trunk: TrunkBinding): SwavRun {
  const batch = recipe.batch;
  const totalSteps = toSteps(recipe.duration, { stepsPerEpoch: trunk.stepsPerEpoch, batch, totalSteps: Number.NaN });
  const run: RunShape = { stepsPerEpoch: trunk.stepsPerEpoch, batch, totalSteps };
  const assign = assigningCrops(recipe.crops);
  const head = new SwavHead({ inputDim: trunk.featureDim, dims: recipe.head.dims, batchNorm: recipe.head.batch_norm, prototypes: recipe.prototypes, seed: recipe.seed });
  const params = swavParameters(trunk.params, head);
  const optimizer = makeOptimizer(recipe.optimizer, params, trunk.isBatchNormOrBias ?? isBatchNormOrBias);
  const queue = recipe.queue.length > 0 ? { queue: new EmbeddingQueue(assign.length, recipe.queue.length, head.embeddingDim), start: toSteps(recipe.queue.start, run) } : null;
  const setup: SwavStepSetup = {
    trunk: trunk.trunk,
    head,
    params,
    optimizer,
    assign,
    temperature: recipe.temperature,
    sinkhorn: recipe.sinkhorn,
    freezePrototypes: toSteps(recipe.freeze_prototypes, run),
    queue,
    learningRate: scheduleFromRecipe(recipe.schedule, recipe.optimizer.lr, run),
  };
  return {
    setup,
    totalSteps,
    run,
    dispose: () => {
      optimizer.dispose();
      queue?.queue.dispose();
      head.dispose();
    },
  };
}

function makeOptimizer(spec: OptimizerSpec, params: Map<string, tf.Variable>, bnOrBias: (name: string) => boolean): Optimizer {
  if (spec.kind === "sgd") return new Sgd(params, { momentum: spec.momentum, nesterov: spec.nesterov, weightDecay: spec.weight_decay });
  return new Lars(params, { momentum: spec.momentum, weightDecay: spec.weight_decay, trust: spec.trust, ...(spec.exclude_bn_bias ? { exclude: bnOrBias } : {}) });
}
