/**
 * The job file the torch worker reads (`engines/torch/seer_torch/worker/job.py`): the stage as
 * the contract has it, where its images are, which of them it reads, where to write, and how to
 * compute. Synthetic images are materialised into a raw file first (`materialise.ts`): the
 * worker reads the same pixels the tfjs engine generates; files are read by the worker itself.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { StageOf } from "../../../contract/graph.js";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import type { OpenedDataset } from "../../data/open.js";
import { splitIndices } from "../../data/open.js";
import { sourceLength } from "../../data/source.js";
import type { DecodeSize } from "../../data/image.js";
import { DataError } from "../../data/errors.js";
import { materialisePixels } from "./materialise.js";

export const JOB_VERSION = 1;

const shorterSide = (d: DecodeSize): number => (typeof d === "object" && "shorterSide" in d ? d.shorterSide : 256);
export const JOB_FILE = "torch-job.json";

export type TorchData = { kind: "pixels"; file: string; count: number; size: number } | { kind: "files"; paths: string[]; shorter_side: number };

export interface TorchJob {
  version: typeof JOB_VERSION;
  stage: StageOf<"pretrain-swav">;
  data: TorchData;
  images: number[];
  out_dir: string;
  threads: number;
  loader_workers: number;
  device: "cpu" | "cuda" | "auto";
  rendezvous_timeout_s: number;
}

export interface JobOptions {
  threads: number;
  loaderWorkers: number;
  device: TorchJob["device"];
  rendezvousTimeoutS: number;
}

/** Writes the job of a pretraining into its work folder (materialising a synthetic set there); returns the job file. */
export async function writePretrainJob(stage: StageOf<"pretrain-swav">, dataset: OpenedDataset, split: string | undefined, work: string, o: JobOptions, signal?: AbortSignal): Promise<string> {
  if (dataset.kind === "copy_detection_set") throw new DataError("bad-options", "SwAV cannot pretrain on a copy-detection set.");
  mkdirSync(work, { recursive: true }); // image files are read in place: nothing else may have made the work folder yet
  const subset = splitIndices(dataset, split);
  const images = subset ? Array.from(subset) : Array.from({ length: sourceLength(dataset.source) }, (_, i) => i);
  const data: TorchData =
    dataset.source.kind === "synthetic"
      ? await materialisePixels(dataset.source, path.join(work, "pixels"), signal)
      : { kind: "files", paths: [...dataset.source.paths], shorter_side: shorterSide(dataset.source.decode) };
  const job: TorchJob = { version: JOB_VERSION, stage, data, images, out_dir: work, threads: o.threads, loader_workers: o.loaderWorkers, device: o.device, rendezvous_timeout_s: o.rendezvousTimeoutS };
  const file = path.join(work, JOB_FILE);
  writeFileAtomic(file, `${JSON.stringify(job)}\n`);
  return file;
}
