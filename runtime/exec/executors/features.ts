/** `extract-features`: a frozen trunk at a tap over one dataset split, stored with labels and attributes (runtime/eval/feature-store.ts). */
import type { Stage } from "../../../compiler/lower/graph.js";
import { magnitude } from "../../../compiler/check/json.js";
import type { TapName } from "../../tfjs/regnet.js";
import { extractSplit, type SplitFeatures } from "../../eval/features-job.js";
import { loadFeatures, saveFeatures } from "../../eval/feature-store.js";
import { inputOfKind, StageError, type InputStage, type StageContext } from "./context.js";
import { dataRef, labelled, openRef, splitOf } from "./data-ref.js";
import { loadTrunk } from "./trunk.js";

interface FeaturesConfig {
  tap: TapName;
  data: string;
  split?: string;
}

/** Side length of the images a trunk sees for a dataset: its `size`, else 224 px. */
function imageSize(fields: Record<string, unknown>): number {
  const v = magnitude(fields["size"]);
  return typeof v === "number" && v > 0 ? v : 224;
}

/** The split a features stage reads and the dataset's name without it (`shapes.test` -> `shapes`, `test`). */
function target(stage: Stage): { split: string | undefined; dataset: string } {
  const cfg = stage.config as unknown as FeaturesConfig;
  const dataStage = stage.inputs.find((i) => i.startsWith("data/")) ?? "";
  const split = cfg.split ?? splitOf(cfg.data, dataStage);
  return { split, dataset: split && cfg.data.endsWith(`.${split}`) ? cfg.data.slice(0, -(split.length + 1)) : cfg.data };
}

/** What the stored features are keyed by in their stage folder. */
function source(stage: Stage): Record<string, string> {
  const cfg = stage.config as unknown as FeaturesConfig;
  return { tap: cfg.tap, data: cfg.data, dataset: target(stage).dataset };
}

export async function extractFeatures(ctx: StageContext): Promise<void> {
  const cfg = ctx.stage.config as unknown as FeaturesConfig;
  const trunk = inputOfKind(ctx, ["pretrain-swav", "random-init"]);
  const data = inputOfKind(ctx, ["prepare-data"]);
  const ref = dataRef(ctx, data.stage, target(ctx.stage).split);
  const dataset = labelled(await openRef(ref), ctx.stage.name);
  const net = loadTrunk(ctx, trunk);
  try {
    const f = await extractSplit({ tf: ctx.tf, net, dataset, ...(ref.split ? { split: ref.split } : {}), tap: cfg.tap, size: imageSize(ref.fields), ...(ctx.workerUrl ? { workerUrl: ctx.workerUrl } : {}) });
    saveFeatures(ctx.out, f, { source: source(ctx.stage), labels: [...f.labels], attributes: Object.fromEntries(Object.entries(f.attributes).map(([k, v]) => [k, [...v]])) });
    ctx.log(`${f.n} images -> ${f.dim}-d features at ${cfg.tap}`);
  } finally {
    net.dispose();
  }
}

/** The features a published `extract-features` stage holds, and its dataset's name. */
export function readFeatures(s: InputStage): SplitFeatures & { dataset: string } {
  const src = source(s.stage);
  const f = loadFeatures(s.dir, src);
  if (!f) throw new StageError(`${s.stage.name}: its features are missing or corrupt`);
  const attributes = Object.fromEntries(Object.entries(f.meta.attributes ?? {}).map(([k, v]) => [k, Int32Array.from(v, Number)]));
  return { data: f.data, n: f.n, dim: f.dim, labels: Int32Array.from(f.meta.labels ?? []), attributes, dataset: src.dataset! };
}
