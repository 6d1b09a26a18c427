/**
 * The JSON Schema (draft-07) of the execution graph and every stage spec. `obj<T>` takes one
 * schema per key of the TypeScript type `T`, so a field added to, or removed from, a spec type
 * without its schema does not compile; a test validates every lowered graph against this
 * schema, and checks that `contract/graph.schema.json` (the committed file other languages
 * read) is this object.
 */
import { GRAPH_VERSION, type SpecOf } from "./graph.js";
import { STAGE_KIND_NAMES, type StageKind } from "./kinds.js";
import type * as S from "./specs.js";

export type JsonSchema = { readonly [k: string]: unknown };

/** An object with exactly the keys of `T`, every one required (absent values are `null`). */
function obj<T>(props: { [P in keyof T]-?: JsonSchema }, description?: string): JsonSchema {
  return { type: "object", ...(description ? { description } : {}), required: Object.keys(props), additionalProperties: false, properties: props };
}
const num = (extra: JsonSchema = {}): JsonSchema => ({ type: "number", ...extra });
const int = (min = 0): JsonSchema => ({ type: "integer", minimum: min });
const str: JsonSchema = { type: "string" };
const bool: JsonSchema = { type: "boolean" };
const fraction: JsonSchema = num({ minimum: 0, maximum: 1 });
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: "null" }] });
const arr = (items: JsonSchema, minItems = 0): JsonSchema => ({ type: "array", items, ...(minItems ? { minItems } : {}) });
const oneOf = (...values: string[]): JsonSchema => ({ enum: values });
const pair = (s: JsonSchema): JsonSchema => ({ type: "array", items: [s, s], minItems: 2, maxItems: 2 });

const duration = obj<S.DurationSpec>({ unit: oneOf("steps", "epochs", "images", "run_fraction"), value: num({ minimum: 0 }) });
const rate = obj<S.RateSpec>({ resolved: num(), value: num(), per_images: nullable(num({ exclusiveMinimum: 0 })) });
type Lars = Extract<S.OptimizerSpec, { kind: "lars" }>;
type Sgd = Extract<S.OptimizerSpec, { kind: "sgd" }>;
const sgd = obj<Sgd>({ kind: { const: "sgd" }, lr: rate, momentum: fraction, nesterov: bool, weight_decay: num({ minimum: 0 }) });
const optimizer: JsonSchema = {
  oneOf: [obj<Lars>({ kind: { const: "lars" }, lr: rate, momentum: fraction, weight_decay: num({ minimum: 0 }), trust: num({ exclusiveMinimum: 0 }), exclude_bn_bias: bool }), sgd],
};
const schedule: JsonSchema = {
  oneOf: [
    obj<Extract<S.ScheduleSpec, { kind: "cosine" }>>({ kind: { const: "cosine" }, warmup: duration, warmup_from: rate, final_factor: fraction }),
    obj<Extract<S.ScheduleSpec, { kind: "multistep" }>>({ kind: { const: "multistep" }, milestones: arr(duration), gamma: fraction, warmup: duration }),
    obj<Extract<S.ScheduleSpec, { kind: "constant" }>>({ kind: { const: "constant" }, warmup: duration }),
  ],
};

const model = obj<S.ModelSpec>({
  name: str,
  family: oneOf("X", "Y"),
  stem_width: int(1),
  se_ratio: nullable(num({ exclusiveMinimum: 0 })),
  zero_init_residual: bool,
  stages: arr(obj<S.RegNetStageSpec>({ depth: int(1), width: int(1), group_width: int(1), bottleneck_width: int(1) }), 1),
  generator: obj<S.ModelSpec["generator"]>({ depth: int(1), w0: num(), wa: num(), wm: num(), group_width: int(1), bottleneck: num() }),
  input_size: int(1),
  taps: arr(str, 1),
});

const splits = nullable(arr({ oneOf: [obj<{ name: string; fraction: number }>({ name: str, fraction }), obj<{ name: string; folder: string }>({ name: str, folder: str })] }, 1));
const common = { name: str, dir: str, attributes: arr(str) };
type DS<K extends S.DatasetSpec["kind"]> = Extract<S.DatasetSpec, { kind: K }>;
const dataset: JsonSchema = {
  oneOf: [
    obj<DS<"synthetic">>({ ...common, kind: { const: "synthetic" }, generator: { const: "shapes" }, images: int(1), size: int(1), classes: int(2), groups: int(1), shift: fraction, seed: int(), splits }),
    obj<DS<"image_folder">>({ ...common, kind: { const: "image_folder" }, root: str, labels: nullable({ const: "folders" }), classes: nullable(int(1)), splits, content_hash: bool, images: nullable(int(1)) }),
    obj<DS<"manifest">>({ ...common, kind: { const: "manifest" }, file: str, root: nullable(str), image: str, label: nullable(str), classes: nullable(int(1)), splits, content_hash: bool, images: nullable(int(1)) }),
    obj<DS<"copy_detection_set">>({ ...common, kind: { const: "copy_detection_set" }, root: str, queries: str, database: str, distractors: nullable(str), ground_truth: nullable(str), content_hash: bool }),
  ],
};
const dataRef = obj<S.DataRefSpec>({ ref: str, stage: str, split: nullable(str) });
const probe = obj<S.ProbeSpec>({ epochs: num({ exclusiveMinimum: 0 }), batch: int(1), optimizer: sgd, schedule, seed: int() });
const trainTest = obj<{ train: string; test: string }>({ train: str, test: str });
const evalCommon = { eval: str, row: str };

const SPECS: { [K in StageKind]: JsonSchema } = {
  "prepare-data": dataset,
  "random-init": obj<SpecOf["random-init"]>({ model, seed: int() }),
  "pretrain-swav": obj<S.PretrainSwavSpec>({
    model,
    data: dataRef,
    crops: arr(obj<S.CropSpec>({ count: int(1), size: int(1), scale: pair(fraction) }), 1),
    augment: obj<S.AugmentSpec>({ flip: fraction, rotate: num({ minimum: 0, maximum: 180 }), jitter: fraction, strength: fraction, grayscale: fraction, blur: fraction, blur_sigma: pair(num({ minimum: 0 })) }),
    head: obj<S.PretrainSwavSpec["head"]>({ dims: arr(int(1), 1), batch_norm: bool }),
    prototypes: int(1),
    temperature: num({ exclusiveMinimum: 0 }),
    sinkhorn: obj<S.PretrainSwavSpec["sinkhorn"]>({ iterations: int(1), epsilon: num({ exclusiveMinimum: 0 }) }),
    queue: obj<S.PretrainSwavSpec["queue"]>({ length: int(), start: duration }),
    freeze_prototypes: duration,
    optimizer,
    schedule,
    batch: int(1),
    duration,
    precision: oneOf("fp32", "mixed"),
    sharding: oneOf("none", "full"),
    activation_checkpointing: bool,
    engine: nullable(oneOf("tfjs", "torch")),
    seed: int(),
    checkpoint: obj<S.PretrainSwavSpec["checkpoint"]>({ every: duration, keep: int(1) }),
  }),
  "extract-features": obj<S.ExtractFeaturesSpec>({ trunk: str, tap: str, data: dataRef, image_size: int(1), output: oneOf("pooled", "map") }),
  "linear-eval": obj<S.LinearEvalSpec>({ ...evalCommon, probe, inputs: trainTest }),
  "knn-eval": obj<S.KnnEvalSpec>({ ...evalCommon, k: int(1), temperature: num({ exclusiveMinimum: 0 }), inputs: trainTest }),
  "fairness-eval": obj<S.FairnessEvalSpec>({ ...evalCommon, probe, group_by: arr(str, 1), inputs: trainTest }),
  "robustness-eval": obj<S.RobustnessEvalSpec>({ ...evalCommon, probe, inputs: obj<S.RobustnessEvalSpec["inputs"]>({ train: str, tests: arr(str, 1) }) }),
  "copy-detection-eval": obj<S.CopyDetectionEvalSpec>({
    ...evalCommon,
    pooling: oneOf("rmac", "gem"),
    levels: int(1),
    whitening: nullable(obj<{ dims: number }>({ dims: int(1) })),
    metric: oneOf("map"),
    inputs: obj<S.CopyDetectionEvalSpec["inputs"]>({ data: str, whitening: nullable(str) }),
  }),
  report: obj<S.ReportSpec>({ suite: str, format: oneOf("html", "markdown", "json"), plots: arr(oneOf("pretrain_loss", "pretrain_lr", "eval_scores")), evals: arr(str) }),
};

/** The schema of one stage of kind `kind`. */
export function stageSchema(kind: StageKind): JsonSchema {
  return obj<{ id: string; name: string; kind: string; spec: unknown; inputs: string[]; resources: unknown; source: unknown }>({
    id: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
    name: { type: "string", minLength: 1 },
    kind: { const: kind },
    spec: SPECS[kind],
    inputs: arr(str),
    resources: obj<{ gpus: number; cpu: boolean }>({ gpus: int(), cpu: bool }),
    source: obj<{ file: string; declaration: string }>({ file: str, declaration: str }),
  });
}

/** The schema of a whole graph. */
export const GRAPH_SCHEMA: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: `https://seer.dev/schema/graph-v${GRAPH_VERSION}.json`,
  title: "seer execution graph",
  description: "Stages of a compiled seer recipe; each stage's `spec` is the fully resolved input of its kind.",
  type: "object",
  required: ["version", "seer", "recipe", "stages"],
  additionalProperties: false,
  properties: {
    version: { const: GRAPH_VERSION },
    seer: str,
    recipe: str,
    stages: { type: "array", items: { oneOf: STAGE_KIND_NAMES.map(stageSchema) } },
  },
};

/** The schema of one stage of any kind (a worker validates the stage it is handed). */
export const STAGE_SCHEMA: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "seer stage",
  oneOf: STAGE_KIND_NAMES.map(stageSchema),
};

/** The committed file's text. */
export function schemaFileText(): string {
  return `${JSON.stringify({ ...GRAPH_SCHEMA, definitions: { stage: STAGE_SCHEMA } }, null, 2)}\n`;
}
