/** Trunk weights in checkpoints: `trunk/<pycls name>` tensors (the `trunk.seerckpt` a pretraining or a random init publishes). */
import { readFileSync } from "node:fs";
import type * as tfTypes from "@tensorflow/tfjs";
import type { RegNet } from "../tfjs/regnet.js";
import { decodeCheckpoint, type CheckpointTensor } from "./checkpoint.js";

/** The checkpoint name of a trunk variable. */
export const trunkName = (variable: string): string => `trunk/${variable}`;

/** A variable's current value, copied out of the backend. */
export function readVariable(v: tfTypes.Variable): CheckpointTensor {
  return { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) };
}

/** Every trunk variable (BN statistics included) by checkpoint name. */
export function trunkSnapshot(net: RegNet): Map<string, CheckpointTensor> {
  return new Map(net.variables.map((v) => [trunkName(v.name), readVariable(v.variable as tfTypes.Variable)]));
}

export function loadTrunkWeights(tf: typeof tfTypes, net: RegNet, file: string): void {
  const ckpt = decodeCheckpoint(readFileSync(file));
  tf.tidy(() => {
    for (const v of net.variables) {
      const t = ckpt.tensors.get(trunkName(v.name));
      if (!t) throw new Error(`${file} has no weights for ${v.name} (a different architecture?)`);
      (v.variable as tfTypes.Variable).assign(tf.tensor(t.data, (v.variable as tfTypes.Variable).shape, "float32"));
    }
  });
}
