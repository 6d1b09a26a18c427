/**
 * `extract-features`: a frozen trunk at a tap over one dataset split, stored with labels and
 * attributes (runtime/eval/feature-store.ts); with `map`, the unpooled feature maps instead
 * (copy detection), and for a copy-detection set its queries, database and ground truth.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isKind, type Stage } from "../../../contract/graph.js";
import type { ExtractFeaturesSpec } from "../../../contract/specs.js";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import type { TapName } from "../../tfjs/regnet.js";
import { extractCopySet, extractSplit, type SplitFeatures } from "../../eval/features-job.js";
import { FEATURE_MAP, GLOBAL_AVERAGE, mapTap, type FeatureMatrix } from "../../eval/extract.js";
import { loadFeatures, saveFeatures, type StoredFeatures } from "../../eval/feature-store.js";
import { input, stageOf, StageError, type InputStage, type StageContext } from "./context.js";
import { rootOf } from "../../data/open.js";
import { dataRef, labelled, openRef } from "./data-ref.js";
import { publishUnreadable } from "./unreadable.js";
import { loadTrunk, type TrunkStage } from "./trunk.js";

/** The trunk stage a features stage reads. */
function trunkInput(ctx: StageContext, name: string): { stage: TrunkStage; dir: string } {
  const i = input(ctx, name);
  if (isKind(i.stage, "pretrain-swav") || isKind(i.stage, "random-init")) return { stage: i.stage, dir: i.dir };
  throw new StageError(`${ctx.stage.name}: ${name} is not a trunk`);
}

/** A spec's tap as the network's tap name (the compiler checked it against the model's taps). */
const isTap = (t: string): t is TapName => t === "stem" || t === "pool" || /^res\d+$/.test(t);
function asTap(t: string): TapName {
  if (isTap(t)) return t;
  throw new StageError(`unknown tap \`${t}\``);
}

/** A copy-detection set's features: which query matches which database images. */
export interface CopySetTruth {
  /** For each query, the indices of its originals in the database. */
  ground_truth: number[][];
  /** Database rows from here on are distractors. */
  distractor_start: number;
}

const TRUTH_FILE = "copy-detection.json";

/** The dataset's name without the split (`shapes.test` -> `shapes`). */
function datasetName(spec: ExtractFeaturesSpec): string {
  const { ref, split } = spec.data;
  return split && ref.endsWith(`.${split}`) ? ref.slice(0, -(split.length + 1)) : ref;
}

/** What the stored features are keyed by in their stage folder. */
function source(spec: ExtractFeaturesSpec): Record<string, string> {
  return { tap: spec.tap, data: spec.data.ref, dataset: datasetName(spec) };
}

/** A features stage's spec, checked to be one. */
function featuresSpec(s: Stage): ExtractFeaturesSpec {
  if (!isKind(s, "extract-features")) throw new StageError(`${s.name} is not a features stage`);
  return s.spec;
}

export async function extractFeatures(ctx: StageContext): Promise<void> {
  const { spec, name } = stageOf(ctx, "extract-features");
  const map = spec.output === "map";
  const trunk = trunkInput(ctx, spec.trunk);
  const ref = dataRef(ctx, spec.data);
  const opened = await openRef(ref);
  const dataset = map && opened.kind === "copy_detection_set" ? opened : labelled(opened, name);
  const net = loadTrunk(ctx, trunk);
  try {
    const tap = map ? mapTap(net, asTap(spec.tap)) : asTap(spec.tap);
    const job = { tf: ctx.tf, net, tap, pooling: map ? FEATURE_MAP : GLOBAL_AVERAGE, size: spec.image_size, ...(ctx.workerUrl ? { workerUrl: ctx.workerUrl } : {}) };
    if (dataset.kind === "copy_detection_set") {
      const { queries, database } = await extractCopySet({ ...job, set: dataset });
      saveFeatures(ctx.out, queries, { source: { ...source(spec), part: "queries" } });
      saveFeatures(ctx.out, database, { source: { ...source(spec), part: "database" } });
      const truth: CopySetTruth = { ground_truth: dataset.set.groundTruth.map((g) => [...g]), distractor_start: dataset.set.distractorStart };
      writeFileAtomic(path.join(ctx.out, TRUTH_FILE), `${JSON.stringify(truth)}\n`);
      ctx.log(`${queries.n} queries, ${database.n} database images -> ${shapeOf(queries)} maps at ${tap}`);
      return;
    }
    const f = await extractSplit({ ...job, dataset, ...(ref.split ? { split: ref.split } : {}) });
    publishUnreadable(ctx, f.unreadable, rootOf(opened));
    saveFeatures(ctx.out, f, { source: source(spec), labels: [...f.labels], attributes: Object.fromEntries(Object.entries(f.attributes).map(([k, v]) => [k, [...v]])), ...(f.attributeValues ? { attribute_values: f.attributeValues } : {}) });
    ctx.log(`${f.n} images -> ${map ? `${shapeOf(f)} maps` : `${f.dim}-d features`} at ${tap}`);
  } finally {
    net.dispose();
  }
}

const shapeOf = (f: FeatureMatrix): string => (f.map ? f.map.join("x") : String(f.dim));

function load(s: InputStage, extra: Record<string, string> = {}): StoredFeatures & { dataset: string } {
  const src = { ...source(featuresSpec(s.stage)), ...extra };
  const f = loadFeatures(s.dir, src);
  if (!f) throw new StageError(`${s.stage.name}: its features are missing or corrupt`);
  return { ...f, dataset: src.dataset! };
}

/** The features a published `extract-features` stage holds, and its dataset's name. */
export function readFeatures(s: InputStage): SplitFeatures & { dataset: string } {
  const f = load(s);
  const attributes = Object.fromEntries(Object.entries(f.meta.attributes ?? {}).map(([k, v]) => [k, Int32Array.from(v, Number)]));
  return { data: f.data, n: f.n, dim: f.dim, labels: Int32Array.from(f.meta.labels ?? []), attributes, ...(f.meta.attribute_values ? { attributeValues: f.meta.attribute_values } : {}), dataset: f.dataset };
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
