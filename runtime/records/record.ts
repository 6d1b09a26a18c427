/**
 * The run record: what one `seer run` did, enough to list it, compare it with another run
 * and rerun it elsewhere. Written once per run as `record.json` and `record.yaml` in the run
 * directory (see docs/records.md). Version 1; the JSON Schema is in `schema.ts`.
 */

import type { EngineName } from "../engines/engine.js";

export const RECORD_FORMAT = "seer-run-record";
export const RECORD_VERSION = 1;
/** The file names inside a run directory, the JSON one first (it is the one read). */
export const RECORD_FILES = ["record.json", "record.yaml"] as const;

/** suite -> features row -> "EVAL.METRIC" -> value (percent). */
export type Metrics = Record<string, Record<string, Record<string, number>>>;

export interface TorchFacts {
  version: string;
  cuda: string | null;
  devices: { name: string; memory_bytes: number }[];
  python: string;
}

export interface StageRecord {
  id: string;
  name: string;
  kind: string;
  status: "ran" | "cached" | "failed" | "skipped";
  host: string;
  seconds: number;
  output_digest: string | null;
  started: string | null;
  finished: string | null;
  error?: string;
  /** The engine that ran (or would have run) it; absent in records written before engines could be chosen: tfjs. */
  engine?: EngineName;
  /** A torch stage's process group size (ranks), from its published telemetry. */
  world_size?: number;
  /** Images its loader could not read, each replaced by the next image (features and pretraining stages; absent when it read them all): `count` of them, the first 100 listed by path relative to the dataset root. */
  unreadable?: { count: number; files: { path: string; reason: string }[] };
}

export interface RecipeSource {
  /** Relative to the project. */
  path: string;
  /** Hex sha256 of `text` (UTF-8). */
  sha256: string;
  text: string;
}

export interface RunRecord {
  format: typeof RECORD_FORMAT;
  version: typeof RECORD_VERSION;
  /** e.g. "20261126-153012-3f9a1c" (`newRunId`). */
  run_id: string;
  status: "succeeded" | "failed" | "cancelled";
  /** ISO 8601. */
  created: string;
  finished: string;
  /** argv after `seer`. */
  command: string[];
  /** Absolute project dir at record time (informational). */
  project: string;
  recipe: {
    /** Relative to the project. */
    file: string;
    /** `--set` values as given. */
    params: Record<string, string>;
    /** Every non-std recipe file the run read, so it can be rerun elsewhere. */
    sources: RecipeSource[];
    /** The resolved recipe JSON. */
    resolved: unknown;
  };
  /** The execution graph JSON (version, seer, recipe, stages[{id,name,kind,spec,inputs,...}]). */
  graph: unknown;
  environment: {
    seer: string;
    node: string;
    tfjs: string;
    backend: string;
    /** The engine the run asked for (`--engine`); absent in older records: tfjs. */
    engine?: EngineName;
    /** When torch ran a stage here: its version, CUDA (null: none), devices and interpreter. */
    torch?: TorchFacts;
    platform: string;
    arch: string;
    cpus: number;
    hostname: string;
  };
  git: { commit: string; dirty: boolean; root: string } | null;
  /**
   * Each dataset's fingerprint; where its data lay (the absolute folder, or manifest file; null for
   * synthetic data) and how many images it had (absent in older records).
   */
  datasets: { name: string; fingerprint: string; location?: string | null; images?: number }[];
  /** declaration -> seed. */
  seeds: Record<string, number>;
  stages: StageRecord[];
  metrics: Metrics;
  /** Same shape as `metrics`; values are the eval's config hash. */
  metric_configs: Record<string, Record<string, Record<string, string>>>;
  /** Path of the HTML report relative to the run dir. */
  report: string | null;
}
