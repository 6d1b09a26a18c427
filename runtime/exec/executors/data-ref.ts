/** From published `prepare-data` stages back to an opened dataset. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { openDataset, type OpenedDataset } from "../../data/open.js";
import type { DatasetRef } from "../../train/pretrain.js";
import type { Stage } from "../../../compiler/lower/graph.js";
import { StageError, type InputStage, type StageContext } from "./context.js";

export interface DatasetSummary {
  constructor: string;
  fingerprint: string;
  images: number;
  classes: string[] | null;
  splits: Record<string, number>;
  skipped: { path: string; reason: string }[];
}

/** A `prepare-data` stage's config: `dir` is the declaring module's folder relative to the root recipe's (imported datasets only). */
interface DataConfig {
  constructor: string;
  fields: Record<string, unknown>;
  dir?: string;
}

/** The dataset of a `prepare-data` stage, its relative paths starting at `rootDir` (the root recipe's folder) joined with the stage's `dir`. */
export function dataStageRef(rootDir: string, dataStage: Stage, split?: string): DatasetRef {
  const cfg = dataStage.config as unknown as DataConfig;
  const baseDir = cfg.dir ? path.join(rootDir, ...cfg.dir.split("/")) : rootDir;
  return { ctor: cfg.constructor, fields: cfg.fields, baseDir, ...(split ? { split } : {}) };
}

export function dataRef(ctx: StageContext, dataStage: Stage, split?: string): DatasetRef {
  return dataStageRef(ctx.baseDir, dataStage, split);
}

/** The split of a reference name such as `shapes.train` of the data stage `data/shapes`. */
export function splitOf(refName: string, dataStage: string): string | undefined {
  const ds = dataStage.replace(/^data\//, "");
  return refName.startsWith(`${ds}.`) ? refName.slice(ds.length + 1) : undefined;
}

const opened = new Map<string, Promise<OpenedDataset>>();

/** Opens a dataset once per process: every stage of a run that reads it shares one scan (and one header check). */
export function openRef(ref: DatasetRef): Promise<OpenedDataset> {
  const key = JSON.stringify([ref.ctor, ref.fields, ref.baseDir]);
  let p = opened.get(key);
  if (!p) {
    p = openDataset(ref.ctor, ref.fields, { baseDir: ref.baseDir, fingerprint: { cacheFile: path.join(".seer", "cache", "fingerprints.json") } });
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
