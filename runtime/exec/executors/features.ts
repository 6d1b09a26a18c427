/** `extract-features`: a frozen trunk at a tap over one dataset split, stored as float32 with labels and attributes. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../../compiler/util/write-atomic.js";
import type { TapName } from "../../tfjs/regnet.js";
import { extractSplit, type SplitFeatures } from "../../eval/features-job.js";
import { inputOfKind, type InputStage, type StageContext } from "./context.js";
import { dataRef, labelled, openRef, splitOf } from "./data-ref.js";
import { loadTrunk } from "./trunk.js";

interface FeaturesMeta {
  n: number;
  dim: number;
  tap: string;
  /** The dataset's name (without the split). */
  data: string;
  labels: number[];
  attributes: Record<string, number[]>;
}

/** Side length of the images a trunk sees for a dataset: its `size`, else 224 px. */
function imageSize(fields: Record<string, unknown>): number {
  const s = fields["size"];
  const v = typeof s === "object" && s !== null && "value" in s ? (s as { value: unknown }).value : s;
  return typeof v === "number" && v > 0 ? v : 224;
}

export async function extractFeatures(ctx: StageContext): Promise<void> {
  const cfg = ctx.stage.config as { tap: TapName; data: string; split?: string };
  const trunk = inputOfKind(ctx, ["pretrain-swav", "random-init"]);
  const data = inputOfKind(ctx, ["prepare-data"]);
  const ref = dataRef(ctx, data, cfg.split ?? splitOf(cfg.data, data.stage.name));
  const dataset = labelled(await openRef(ref), ctx.stage.name);
  const net = loadTrunk(ctx, trunk);
  try {
    const f = await extractSplit({ tf: ctx.tf, net, dataset, ...(ref.split ? { split: ref.split } : {}), tap: cfg.tap, size: imageSize(ref.fields), ...(ctx.workerUrl ? { workerUrl: ctx.workerUrl } : {}) });
    writeFileAtomic(path.join(ctx.out, "features.f32"), Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    const name = ref.split && cfg.data.endsWith(`.${ref.split}`) ? cfg.data.slice(0, -(ref.split.length + 1)) : cfg.data;
    const meta: FeaturesMeta = { n: f.n, dim: f.dim, tap: cfg.tap, data: name, labels: [...f.labels], attributes: Object.fromEntries(Object.entries(f.attributes).map(([k, v]) => [k, [...v]])) };
    writeFileAtomic(path.join(ctx.out, "features.json"), `${JSON.stringify(meta)}\n`);
    ctx.log(`${f.n} images -> ${f.dim}-d features at ${cfg.tap}`);
  } finally {
    net.dispose();
  }
}

export function readFeatures(s: InputStage): SplitFeatures & { data_name: string } {
  const meta = JSON.parse(readFileSync(path.join(s.dir, "features.json"), "utf8")) as FeaturesMeta;
  const bytes = readFileSync(path.join(s.dir, "features.f32"));
  const data = new Float32Array(meta.n * meta.dim);
  Buffer.from(data.buffer).set(bytes);
  const attributes = Object.fromEntries(Object.entries(meta.attributes).map(([k, v]) => [k, Int32Array.from(v)]));
  return { data, n: meta.n, dim: meta.dim, labels: Int32Array.from(meta.labels), attributes, data_name: meta.data };
}
