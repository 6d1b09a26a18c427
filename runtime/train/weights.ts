/** Loading trained trunk weights (the `trunk.seerckpt` a pretraining publishes). */
import { readFileSync } from "node:fs";
import type * as tfTypes from "@tensorflow/tfjs";
import type { RegNet } from "../tfjs/regnet.js";
import { decodeCheckpoint } from "./checkpoint.js";

export function loadTrunkWeights(tf: typeof tfTypes, net: RegNet, file: string): void {
  const ckpt = decodeCheckpoint(readFileSync(file));
  tf.tidy(() => {
    for (const v of net.variables) {
      const t = ckpt.tensors.get(`trunk/${v.name}`);
      if (!t) throw new Error(`${file} has no weights for ${v.name} (a different architecture?)`);
      (v.variable as tfTypes.Variable).assign(tf.tensor(t.data, (v.variable as tfTypes.Variable).shape, "float32"));
    }
  });
}
