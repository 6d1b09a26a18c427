/**
 * Stage specs: the runtime's fully resolved input, one type per stage kind. Every default is
 * filled in by the compiler; quantities are in base units (images, steps, pixels, fractions);
 * learning rates are resolved for their global batch, with the rule that gave them stated
 * beside them. Field names are snake_case so the JSON reads the same from any language.
 * The JSON Schema of these types is `contract/graph.schema.json` (schema.ts builds it; a test
 * checks that every lowered graph validates against it).
 */

/** A length of training: optimiser steps, epochs of the data, images, or a fraction of the whole run. */
export interface DurationSpec {
  unit: "steps" | "epochs" | "images" | "run_fraction";
  value: number;
}

/** A learning rate: `value`, or `value` per `per_images` images scaled to the global batch. */
export interface RateSpec {
  /** The rate used: `value × batch / per_images`, or `value` when `per_images` is null. */
  resolved: number;
  value: number;
  per_images: number | null;
}

export type OptimizerSpec =
  | { kind: "lars"; lr: RateSpec; momentum: number; weight_decay: number; trust: number; exclude_bn_bias: boolean }
  | { kind: "sgd"; lr: RateSpec; momentum: number; nesterov: boolean; weight_decay: number };

export type ScheduleSpec =
  | { kind: "cosine"; warmup: DurationSpec; warmup_from: RateSpec; final_factor: number }
  | { kind: "multistep"; milestones: DurationSpec[]; gamma: number; warmup: DurationSpec }
  | { kind: "constant"; warmup: DurationSpec };

/** One RegNet stage, expanded from the generating parameters (pycls). */
export interface RegNetStageSpec {
  depth: number;
  /** Output width of every block. */
  width: number;
  /** Channels per group of the 3x3 convolution. */
  group_width: number;
  /** Width the bottleneck (and SE) act on. */
  bottleneck_width: number;
}

/** A trunk, fully expanded: an engine builds it from `stages` alone. */
export interface ModelSpec {
  /** The model's name as the root recipe writes it. */
  name: string;
  family: "X" | "Y";
  stem_width: number;
  /** SE width as a fraction of the block input width; null for RegNetX. */
  se_ratio: number | null;
  /** Every block's final BN scale starts at 0. */
  zero_init_residual: boolean;
  stages: RegNetStageSpec[];
  /** The generating parameters (pycls), for people and provenance. */
  generator: { depth: number; w0: number; wa: number; wm: number; group_width: number; bottleneck: number };
  /** Input resolution the model is declared for, pixels. */
  input_size: number;
  /** Output taps: `stem`, `res2`..`resN`, `pool`. */
  taps: string[];
}

/** Parts of a dataset in declaration order: fractions of the images, or named sub-folders / split-column values. */
export type SplitSpec = { name: string; fraction: number } | { name: string; folder: string };

/** `images` of an image folder or manifest: the size it is declared to have (null: not declared), which plans use when the data is not there to count. */
interface DatasetCommon {
  /** The dataset's name as the root recipe writes it. */
  name: string;
  /** The declaring module's folder relative to the root recipe's (`/`-separated); "" for the root's own. */
  dir: string;
  /** Per-image attributes the dataset declares (fairness `group_by`). */
  attributes: string[];
}

export type DatasetSpec =
  | (DatasetCommon & { kind: "synthetic"; generator: "shapes"; images: number; size: number; classes: number; groups: number; shift: number; seed: number; splits: SplitSpec[] | null })
  | (DatasetCommon & { kind: "image_folder"; root: string; labels: "folders" | null; classes: number | null; splits: SplitSpec[] | null; content_hash: boolean; images: number | null })
  | (DatasetCommon & { kind: "manifest"; file: string; root: string | null; image: string; label: string | null; classes: number | null; splits: SplitSpec[] | null; content_hash: boolean; images: number | null })
  | (DatasetCommon & { kind: "copy_detection_set"; root: string; queries: string; database: string; distractors: string | null; ground_truth: string | null; content_hash: boolean });

/** A dataset as a stage reads it: the data stage and, optionally, one split. */
export interface DataRefSpec {
  /** `shapes` or `shapes.train`. */
  ref: string;
  /** The `prepare-data` stage. */
  stage: string;
  split: string | null;
}

export interface CropSpec {
  count: number;
  /** Side length, pixels. */
  size: number;
  /** Fraction of the image area, [low, high]. */
  scale: [number, number];
}

export interface AugmentSpec {
  flip: number;
  rotate: number;
  jitter: number;
  strength: number;
  grayscale: number;
  blur: number;
  /** Blur radius range, pixels. */
  blur_sigma: [number, number];
}

export interface PretrainSwavSpec {
  model: ModelSpec;
  data: DataRefSpec;
  crops: CropSpec[];
  augment: AugmentSpec;
  head: { dims: number[]; batch_norm: boolean };
  prototypes: number;
  temperature: number;
  sinkhorn: { iterations: number; epsilon: number };
  queue: { length: number; start: DurationSpec };
  freeze_prototypes: DurationSpec;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  /** Global batch, images. */
  batch: number;
  duration: DurationSpec;
  precision: "fp32" | "mixed";
  /** `full`: parameters, gradients and optimiser state sharded over the GPUs (FSDP); `none`: every GPU holds them all (DDP). */
  sharding: "none" | "full";
  /** Keep only each block's output for the backward pass and recompute the rest. */
  activation_checkpointing: boolean;
  /** The engine the recipe pins (null: the run's `--engine`). */
  engine: "tfjs" | "torch" | null;
  seed: number;
  checkpoint: { every: DurationSpec; keep: number };
}

export interface RandomInitSpec {
  model: ModelSpec;
  seed: number;
}

export interface ExtractFeaturesSpec {
  /** The trunk stage (`pretrain/...` or `random-init/...`). */
  trunk: string;
  tap: string;
  data: DataRefSpec;
  /** Side length the trunk sees, pixels: the dataset's `size`, else the model's input size. */
  image_size: number;
  /** `pooled`: global average pooled vectors; `map`: unpooled feature maps (copy detection). */
  output: "pooled" | "map";
}

/** A linear probe's training settings. */
export interface ProbeSpec {
  epochs: number;
  /** Images. */
  batch: number;
  optimizer: Extract<OptimizerSpec, { kind: "sgd" }>;
  schedule: ScheduleSpec;
  seed: number;
}

interface EvalCommon {
  /** The eval's name and the suite row (features) it scores. */
  eval: string;
  row: string;
}

export interface LinearEvalSpec extends EvalCommon {
  probe: ProbeSpec;
  inputs: { train: string; test: string };
}

export interface KnnEvalSpec extends EvalCommon {
  k: number;
  temperature: number;
  inputs: { train: string; test: string };
}

export interface FairnessEvalSpec extends EvalCommon {
  probe: ProbeSpec;
  group_by: string[];
  inputs: { train: string; test: string };
}

export interface RobustnessEvalSpec extends EvalCommon {
  probe: ProbeSpec;
  /** The probe's training features, then the test sets in order (the first is the in-distribution reference). */
  inputs: { train: string; tests: string[] };
}

export interface CopyDetectionEvalSpec extends EvalCommon {
  pooling: "rmac" | "gem";
  levels: number;
  whitening: { dims: number } | null;
  metric: "map";
  /** Unpooled maps of the copy-detection set, and of a separate whitening set when `pca { train }` names one. */
  inputs: { data: string; whitening: string | null };
}

export interface ReportSpec {
  suite: string;
  format: "html" | "markdown" | "json";
  plots: ("pretrain_loss" | "pretrain_lr" | "eval_scores")[];
  /** The eval stages whose metrics fill the table. */
  evals: string[];
}
