/** Trunks: `random-init` publishes seeded random weights; features stages load a trunk stage's weights. */
import path from "node:path";
import type { StageOf } from "../../../contract/graph.js";
import type { ModelSpec } from "../../../contract/specs.js";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import { archFromSpec } from "../../tfjs/regnet-arch.js";
import { buildRegNet, buildRegNetAsync, type RegNet } from "../../tfjs/regnet.js";
import { encodeCheckpoint } from "../../train/checkpoint.js";
import { loadTrunkWeights, trunkSnapshot } from "../../train/weights.js";
import { stageOf, type StageContext } from "./context.js";

export const TRUNK_FILE = "trunk.seerckpt";

/** A trunk stage: a pretraining or random weights. */
export type TrunkStage = StageOf<"pretrain-swav"> | StageOf<"random-init">;

export async function randomInit(ctx: StageContext): Promise<void> {
  const { spec } = stageOf(ctx, "random-init");
  const net = await buildRegNetAsync(ctx.tf, archFromSpec(spec.model), { seed: spec.seed, signal: ctx.signal });
  try {
    writeFileAtomic(path.join(ctx.out, TRUNK_FILE), encodeCheckpoint({ step: 0, state: { model: spec.model }, tensors: trunkSnapshot(net) }));
  } finally {
    net.dispose();
  }
}

/** The trunk of a trunk stage (pretrained or random), weights loaded. */
export function loadTrunk(ctx: StageContext, trunk: { stage: TrunkStage; dir: string }): RegNet {
  const model: ModelSpec = trunk.stage.spec.model;
  const net = buildRegNet(ctx.tf, archFromSpec(model), { seed: 0 });
  loadTrunkWeights(ctx.tf, net, path.join(trunk.dir, TRUNK_FILE));
  return net;
}
