/**
 * `extract-features`: a frozen trunk at a tap over one dataset split, stored with labels and
 * attributes (runtime/eval/feature-store.ts); with `map`, the unpooled feature maps instead
 * (copy detection), and for a copy-detection set its queries, database and ground truth.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Stage } from "../../../compiler/lower/graph.js";
import { magnitude } from "../../../compiler/check/json.js";
import { writeFileAtomic } from "../../../compiler/util/write-atomic.js";
import type { TapName } from "../../tfjs/regnet.js";
import { extractCopySet, extractSplit, type SplitFeatures } from "../../eval/features-job.js";
import { FEATURE_MAP, GLOBAL_AVERAGE, mapTap, type FeatureMatrix } from "../../eval/extract.js";
import { loadFeatures, saveFeatures, type StoredFeatures } from "../../eval/feature-store.js";
import { inputOfKind, StageError, type InputStage, type StageContext } from "./context.js";
import { dataRef, labelled, openRef, splitOf } from "./data-ref.js";
import { loadTrunk } from "./trunk.js";

interface FeaturesConfig {
  tap: TapName;
  data: string;
  split?: string;
  /** Unpooled feature maps (for copy detection) instead of pooled vectors. */
  map?: boolean;
}

/** A copy-detection set's features: which query matches which database images. */
export interface CopySetTruth {
  /** For each query, the indices of its originals in the database. */
  ground_truth: number[][];
  /** Database rows from here on are distractors. */
  distractor_start: number;
}

const TRUTH_FILE = "copy-detection.json";

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
  const opened = await openRef(ref);
  const dataset = cfg.map && opened.kind === "copy_detection_set" ? opened : labelled(opened, ctx.stage.name);
  const net = loadTrunk(ctx, trunk);
  try {
    const tap = cfg.map ? mapTap(net, cfg.tap) : cfg.tap;
    const job = { tf: ctx.tf, net, tap, pooling: cfg.map ? FEATURE_MAP : GLOBAL_AVERAGE, size: imageSize(ref.fields), ...(ctx.workerUrl ? { workerUrl: ctx.workerUrl } : {}) };
    if (dataset.kind === "copy_detection_set") {
      const { queries, database } = await extractCopySet({ ...job, set: dataset });
      saveFeatures(ctx.out, queries, { source: { ...source(ctx.stage), part: "queries" } });
      saveFeatures(ctx.out, database, { source: { ...source(ctx.stage), part: "database" } });
      const truth: CopySetTruth = { ground_truth: dataset.set.groundTruth.map((g) => [...g]), distractor_start: dataset.set.distractorStart };
      writeFileAtomic(path.join(ctx.out, TRUTH_FILE), `${JSON.stringify(truth)}\n`);
      ctx.log(`${queries.n} queries, ${database.n} database images -> ${shapeOf(queries)} maps at ${tap}`);
      return;
    }
    const f = await extractSplit({ ...job, dataset, ...(ref.split ? { split: ref.split } : {}) });
    saveFeatures(ctx.out, f, { source: source(ctx.stage), labels: [...f.labels], attributes: Object.fromEntries(Object.entries(f.attributes).map(([k, v]) => [k, [...v]])) });
    ctx.log(`${f.n} images -> ${cfg.map ? `${shapeOf(f)} maps` : `${f.dim}-d features`} at ${tap}`);
  } finally {
    net.dispose();
  }
}

const shapeOf = (f: FeatureMatrix): string => (f.map ? f.map.join("x") : String(f.dim));

function load(s: InputStage, extra: Record<string, string> = {}): StoredFeatures & { dataset: string } {
  const src = { ...source(s.stage), ...extra };
  const f = loadFeatures(s.dir, src);
  if (!f) throw new StageError(`${s.stage.name}: its features are missing or corrupt`);
  return { ...f, dataset: src.dataset! };
}

/** The features a published `extract-features` stage holds, and its dataset's name. */
export function readFeatures(s: InputStage): SplitFeatures & { dataset: string } {
  const f = load(s);
  const attributes = Object.fromEntries(Object.entries(f.meta.attributes ?? {}).map(([k, v]) => [k, Int32Array.from(v, Number)]));
  return { data: f.data, n: f.n, dim: f.dim, labels: Int32Array.from(f.meta.labels ?? []), attributes, dataset: f.dataset };
}

export type FeatureMaps = FeatureMatrix & { map: [number, number, number] };

/** Unpooled maps of a published `extract-features` stage (`maps/ROW/DATA`), or one part of a copy-detection set's. */
export function readMaps(s: InputStage, part?: "queries" | "database"): FeatureMaps {
  const f = load(s, part ? { part } : {});
  if (!f.map) throw new StageError(`${s.stage.name} holds pooled features, not feature maps`);
  return { data: f.data, n: f.n, dim: f.dim, map: f.map };
}

/** A published copy-detection set's query and database maps and its ground truth. */
export function readCopySet(s: InputStage): { queries: FeatureMaps; database: FeatureMaps } & CopySetTruth {
  let truth: CopySetTruth;
  try {
    truth = JSON.parse(readFileSync(path.join(s.dir, TRUTH_FILE), "utf8")) as CopySetTruth;
  } catch {
    throw new StageError(`${s.stage.name} holds no copy-detection set (is \`data\` a \`copy_detection_set\`?)`);
  }
  return { queries: readMaps(s, "queries"), database: readMaps(s, "database"), ...truth };
}
