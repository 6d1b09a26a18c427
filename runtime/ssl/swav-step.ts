/**
 * One SwAV training step:
 *   1. one trunk call per run of equal-resolution crops (crops of a run concatenated), the pooled
 *      features of all crops concatenated in crop order and passed through the head together
 *      (as swav and VISSL do, so the head's BN sees every crop);
 *   2. the swapped-prediction loss, with the queue once it is active and full;
 *   3. gradients with tf.variableGrads, the prototypes left out while frozen;
 *   4. the optimiser update with the scheduled learning rate, then unit-norm prototypes;
 *   5. the assigning crops' embeddings pushed onto the queue (from `queue.start` on).
 * Every intermediate is disposed: the tensor count is the same after every step.
 */
import * as tf from "@tensorflow/tfjs";
import { frozenAt } from "../optim/freeze.js";
import type { NamedVariables, Optimizer } from "../optim/optimizer.js";
import type { LearningRate } from "../optim/schedule.js";
import { resolutionGroups } from "./crops.js";
import { PROTOTYPES, type SwavHead } from "./head.js";
import { swappedLoss } from "./loss.js";
import type { EmbeddingQueue } from "./queue.js";
import type { SinkhornOptions } from "./sinkhorn.js";

/** The trunk: images [N, H, W, C] → pooled features [N, F]. */
export type Trunk = (x: tf.Tensor4D, training: boolean) => tf.Tensor2D;

export interface SwavStepSetup {
  trunk: Trunk;
  head: SwavHead;
  /** Every trainable parameter by name: the trunk's and the head's (see `swavParameters`). */
  params: NamedVariables;
  optimizer: Optimizer;
  /** Indices of the assigning crops (see `assigningCrops`). */
  assign: readonly number[];
  temperature: number;
  sinkhorn: SinkhornOptions;
  /** The prototypes are frozen during steps 0 … freezePrototypes−1. */
  freezePrototypes: number;
  /** The queue and the step from which it is filled (and used once full). */
  queue?: { queue: EmbeddingQueue; start: number } | null;
  learningRate: LearningRate;
}

export interface SwavStepResult {
  loss: number;
  lr: number;
  usedQueue: boolean;
  prototypesFrozen: boolean;
}

/** The trunk's and the head's parameters in one map; names must not collide. */
export function swavParameters(trunkParams: NamedVariables, head: SwavHead): Map<string, tf.Variable> {
  const all = new Map<string, tf.Variable>(trunkParams);
  for (const [name, v] of head.params) {
    if (all.has(name)) throw new Error(`Trunk parameter \`${name}\` collides with a head parameter.`);
    all.set(name, v);
  }
  return all;
}

/** Runs step number `step` (0-based) on `crops`, one [B, H, W, C] tensor per crop in recipe order. */
export function swavStep(s: SwavStepSetup, crops: readonly tf.Tensor4D[], step: number): SwavStepResult {
  const first = crops[0];
  if (!first || crops.some((c) => c.shape[0] !== first.shape[0])) throw new Error("Every crop needs the same batch size.");
  const batch = first.shape[0];
  const frozen = frozenAt(step, [{ name: PROTOTYPES, steps: s.freezePrototypes }]);
  const names = [...s.params.keys()].filter((n) => !frozen.has(n));
  const vars = names.map((n) => s.params.get(n) as tf.Variable);
  const logical = new Map(vars.map((v, i) => [v.name, names[i] as string]));
  const queue = s.queue && step >= s.queue.start ? s.queue.queue : null;
  const useQueue = queue !== null && queue.full;
  const lr = s.learningRate(step);
  const stash: { z: tf.Tensor3D | null } = { z: null };

  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const features = resolutionGroups(crops).map((g) => {
        const x = g.count === 1 ? (crops[g.start] as tf.Tensor4D) : tf.concat(crops.slice(g.start, g.start + g.count), 0);
        return s.trunk(x, true);
      });
      const z = s.head.embed(features.length === 1 ? (features[0] as tf.Tensor2D) : tf.concat(features, 0), true);
      if (queue) stash.z = tf.keep(assignRows(z, s.assign, batch));
      return swappedLoss(z, s.head.prototypes, { crops: crops.length, assign: s.assign, temperature: s.temperature, sinkhorn: s.sinkhorn }, useQueue ? queue.embeddings() : null);
    }, vars);
    const named = new Map<string, tf.Tensor>();
    for (const [tfName, g] of Object.entries(grads)) named.set(logical.get(tfName) as string, g);
    s.optimizer.apply(named, lr);
    return value;
  });
  s.head.normalizePrototypes();
  if (queue && stash.z) {
    queue.push(stash.z);
    stash.z.dispose();
  }
  const value = loss.dataSync()[0] as number;
  loss.dispose();
  return { loss: value, lr, usedQueue: useQueue, prototypesFrozen: frozen.has(PROTOTYPES) };
}

/** The embeddings of the assigning crops, [A, B, D]. */
function assignRows(z: tf.Tensor2D, assign: readonly number[], batch: number): tf.Tensor3D {
  const d = z.shape[1];
  return tf.tidy(() => tf.reshape(tf.concat(assign.map((a) => tf.slice(z, [a * batch, 0], [batch, d])), 0), [assign.length, batch, d]));
}
