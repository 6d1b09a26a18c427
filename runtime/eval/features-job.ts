/**
 * Features of a dataset split from a trunk: images through the eval transform (resize and
 * centre crop, normalise), the frozen trunk at a tap, pooled; with labels and group
 * attributes, so probes, k-NN and fairness breakdowns can run on them; or a copy-detection
 * set's queries and database, for copy detection.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { DataLoader } from "../data/loader.js";
import type { OpenedDataset } from "../data/open.js";
import { splitIndices } from "../data/open.js";
import type { SourceSpec } from "../data/source.js";
import { listUnreadable, unreadableOf, type Unreadable } from "../data/unreadable.js";
import type { RegNet, TapName } from "../tfjs/regnet.js";
import { concatFeatures, extractBatch, GLOBAL_AVERAGE, type FeatureMatrix, type Pooling } from "./extract.js";

export interface SplitFeatures extends FeatureMatrix {
  labels: Int32Array;
  /** Per-image attribute codes by attribute name (a manifest's `attributes`, `group` for synthetic data). */
  attributes: Record<string, Int32Array>;
  /** The value each attribute code stands for (`attributeValues[name][code]`); without it, codes name their groups. */
  attributeValues?: Record<string, readonly string[]>;
}

interface Common {
  tf: typeof tfTypes;
  net: RegNet;
  tap: TapName;
  pooling?: Pooling;
  /** Image side the trunk sees. */
  size: number;
  batch?: number;
  workers?: number;
  workerUrl?: URL;
}

export interface ExtractJob extends Common {
  dataset: Exclude<OpenedDataset, { kind: "copy_detection_set" }>;
  split?: string;
}

/** Features of images of a source, in dataset order; with their labels and indices, and the images that could not be read (each replaced by the next). */
async function extractImages(j: Common, source: SourceSpec, labels: ArrayLike<number> | null, subset: Int32Array | null): Promise<{ features: FeatureMatrix; labels: number[]; indices: number[]; unreadable: Unreadable }> {
  const loader = await DataLoader.create({
    source,
    labels,
    subset,
    batch: j.batch ?? 128,
    seed: 0,
    transform: { kind: "eval", size: j.size, resizeRatio: 1 },
    ...(j.workers ? { workers: j.workers } : {}),
    ...(j.workerUrl ? { workerUrl: j.workerUrl } : {}),
  });
  const parts: FeatureMatrix[] = [];
  const out = { labels: [] as number[], indices: [] as number[] };
  try {
    for await (const b of loader.batches()) {
      const x = j.tf.tensor4d(b.crops[0]!, [b.size, j.size, j.size, 3]);
      try {
        parts.push(await extractBatch(j.tf, j.net, x, j.tap, j.pooling ?? GLOBAL_AVERAGE));
      } finally {
        x.dispose();
      }
      out.labels.push(...b.labels);
      out.indices.push(...b.indices);
    }
  } finally {
    await loader.close();
  }
  return { features: concatFeatures(parts), ...out, unreadable: unreadableOf(loader.report.problems) };
}

/** A split's features, and the images the loader could not read (replaced by the next image of the split). */
export async function extractSplit(j: ExtractJob): Promise<SplitFeatures & { unreadable: Unreadable }> {
  const ds = j.dataset;
  const r = await extractImages(j, ds.source, ds.labels, splitIndices(ds, j.split));
  const attributes: Record<string, Int32Array> = {};
  const attributeValues: Record<string, readonly string[]> = {};
  for (const [name, column] of Object.entries(ds.attributes)) {
    attributes[name] = Int32Array.from(r.indices, (i) => column.codes[i]!);
    attributeValues[name] = column.values;
  }
  return { ...r.features, labels: Int32Array.from(r.labels), attributes, attributeValues, unreadable: r.unreadable };
}

/** Features of a copy-detection set's queries and database (originals, then distractors), in scan order. */
export async function extractCopySet(j: Common & { set: Extract<OpenedDataset, { kind: "copy_detection_set" }> }): Promise<{ queries: FeatureMatrix; database: FeatureMatrix }> {
  const inOrder = async (source: SourceSpec) => {
    const r = await extractImages(j, source, null, null);
    // The loader replaces an unreadable image by another; rankings would then score the wrong image.
    if (r.unreadable.count > 0) throw new Error(`images of the copy-detection set passed the header check but could not be read: ${listUnreadable(r.unreadable)}; a ranking needs every image, so fix or remove them and run again`);
    return r.features;
  };
  return { queries: await inOrder(j.set.queries), database: await inOrder(j.set.database) };
}
