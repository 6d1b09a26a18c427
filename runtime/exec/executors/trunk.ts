/** Trunks: `random-init` publishes seeded random weights; features stages load a trunk stage's weights. */
import path from "node:path";
import { regnetParams } from "../../../compiler/check/rules/regnet.js";
import { writeFileAtomic } from "../../../compiler/util/write-atomic.js";
import { archFromParams } from "../../tfjs/regnet-arch.js";
import { buildRegNet, type RegNet } from "../../tfjs/regnet.js";
import { encodeCheckpoint } from "../../train/checkpoint.js";
import { loadTrunkWeights, trunkSnapshot } from "../../train/weights.js";
import type { InputStage, StageContext } from "./context.js";

export const TRUNK_FILE = "trunk.seerckpt";

interface TrunkConfig {
  model: { name: string; regnet: Record<string, unknown> };
  seed?: number;
}

export function modelOf(trunk: InputStage): Record<string, unknown> {
  return (trunk.stage.config as unknown as TrunkConfig).model.regnet;
}

export async function randomInit(ctx: StageContext): Promise<void> {
  const cfg = ctx.stage.config as unknown as TrunkConfig;
  const net = buildRegNet(ctx.tf, archFromParams(regnetParams(cfg.model.regnet)), { seed: cfg.seed ?? 0 });
  try {
    writeFileAtomic(path.join(ctx.out, TRUNK_FILE), encodeCheckpoint({ step: 0, state: { model: cfg.model.regnet }, tensors: trunkSnapshot(net) }));
  } finally {
    net.dispose();
  }
}

/** The trunk of a trunk stage (pretrained or random), weights loaded. */
export function loadTrunk(ctx: StageContext, trunk: InputStage): RegNet {
  const net = buildRegNet(ctx.tf, archFromParams(regnetParams(modelOf(trunk))), { seed: 0 });
  loadTrunkWeights(ctx.tf, net, path.join(trunk.dir, TRUNK_FILE));
  return net;
}
