/** From published `prepare-data` stages back to an opened dataset. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { StageOf } from "../../../contract/graph.js";
import type { DataRefSpec } from "../../../contract/specs.js";
import { openDataset, type OpenedDataset } from "../../data/open.js";
import type { DatasetRef } from "../../train/pretrain.js";
import { inputAs, StageError, type InputStage, type StageContext } from "./context.js";

export interface DatasetSummary {
  constructor: string;
  fingerprint: string;
  images: number;
  classes: string[] | null;
  splits: Record<string, number>;
  skipped: { path: string; reason: string }[];
  /** Symbolic links the folder walk did not follow (absent in summaries written before links were checked). */
  links?: { path: string; target: string; reason: "loop" | "repeat" }[];
}

/** The dataset of a `prepare-data` stage; its relative paths start at `rootDir` (the root recipe's folder) joined with the spec's `dir`. */
export function dataStageRef(rootDir: string, dataStage: StageOf<"prepare-data">, split?: string | null): DatasetRef {
  const dir = dataStage.spec.dir;
  const baseDir = dir ? path.join(rootDir, ...dir.split("/")) : rootDir;
  return { spec: dataStage.spec, baseDir, ...(split ? { split } : {}) };
}

/** The dataset a stage reads through a data reference of its spec. */
export function dataRef(ctx: StageContext, ref: DataRefSpec): DatasetRef {
  return dataStageRef(ctx.baseDir, inputAs(ctx, ref.stage, "prepare-data").stage, ref.split);
}

const opened = new Map<string, Promise<OpenedDataset>>();

/** Opens a dataset once per process: every stage of a run that reads it shares one scan (and one header check). */
export function openRef(ref: DatasetRef): Promise<OpenedDataset> {
  const key = JSON.stringify([ref.spec, ref.baseDir]);
  let p = opened.get(key);
  if (!p) {
    p = openDataset(ref.spec, { baseDir: ref.baseDir, fingerprint: { cacheFile: path.join(".seer", "cache", "fingerprints.json") } });
    p.catch(() => opened.delete(key));
    opened.set(key, p);
  }
  return p;
}

export function summaryOf(data: InputStage): DatasetSummary {
  return JSON.parse(readFileSync(path.join(data.dir, "dataset.json"), "utf8")) as DatasetSummary;
}

export function labelled(ds: OpenedDataset, stage: string): Exclude<OpenedDataset, { kind: "copy_detection_set" }> {
  if (ds.kind === "copy_detection_set") throw new StageError(`${stage}: a copy-detection set has no labelled images to extract features for this evaluation`);
  return ds;
}
