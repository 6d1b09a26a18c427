/**
 * Features of a dataset split from a trunk: images through the eval transform (resize and
 * centre crop, normalise), the frozen trunk at a tap, pooled; with labels and group
 * attributes, so probes, k-NN and fairness breakdowns can run on them.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { DataLoader } from "../data/loader.js";
import type { OpenedDataset } from "../data/open.js";
import { splitIndices } from "../data/open.js";
import type { RegNet, TapName } from "../tfjs/regnet.js";
import { concatFeatures, extractBatch, GLOBAL_AVERAGE, type FeatureMatrix, type Pooling } from "./extract.js";

export interface SplitFeatures extends FeatureMatrix {
  labels: Int32Array;
  /** Per-image attributes (`group` for synthetic data). */
  attributes: Record<string, Int32Array>;
}

export interface ExtractJob {
  tf: typeof tfTypes;
  net: RegNet;
  dataset: Exclude<OpenedDataset, { kind: "copy_detection_set" }>;
  split?: string;
  tap: TapName;
  pooling?: Pooling;
  /** Image side the trunk sees. */
  size: number;
  batch?: number;
  workers?: number;
  workerUrl?: URL;
}

export async function extractSplit(j: ExtractJob): Promise<SplitFeatures> {
  const subset = splitIndices(j.dataset, j.split);
  const loader = await DataLoader.create({
    source: j.dataset.source,
    labels: j.dataset.labels,
    subset,
    batch: j.batch ?? 128,
    seed: 0,
    transform: { kind: "eval", size: j.size, resizeRatio: 1 },
    ...(j.workers ? { workers: j.workers } : {}),
    ...(j.workerUrl ? { workerUrl: j.workerUrl } : {}),
  });
  const parts: FeatureMatrix[] = [];
  const labels: number[] = [];
  const indices: number[] = [];
  try {
    for await (const b of loader.batches()) {
      const x = j.tf.tensor4d(b.crops[0]!, [b.size, j.size, j.size, 3]);
      try {
        parts.push(await extractBatch(j.tf, j.net, x, j.tap, j.pooling ?? GLOBAL_AVERAGE));
      } finally {
        x.dispose();
      }
      labels.push(...b.labels);
      indices.push(...b.indices);
    }
  } finally {
    await loader.close();
  }
  const attributes: Record<string, Int32Array> = {};
  const ds = j.dataset;
  if (ds.kind === "synthetic") attributes["group"] = Int32Array.from(indices, (i) => ds.groups[i]!);
  return { ...concatFeatures(parts), labels: Int32Array.from(labels), attributes };
}
