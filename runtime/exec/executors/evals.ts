/**
 * Evaluation stages on published features: linear probe, k-NN, fairness, robustness and
 * copy detection.
 * Each writes `metrics.json`: `{ metrics: {"EVAL.METRIC": percent}, config: "sha256:..." }`,
 * the config hash being that of the eval's resolved settings.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { magnitude } from "../../../compiler/check/json.js";
import { canonicalJson } from "../../../compiler/lower/graph.js";
import { writeFileAtomic } from "../../../compiler/util/write-atomic.js";
import type { ProbeConfig } from "../../eval/linear-probe.js";
import { copyDetectionEval, fairnessEval, knnEval, linearEval, robustnessEval, type CopyDetectionInput, type Metrics } from "../../eval/protocols.js";
import { poolMaps } from "../../eval/retrieval.js";
import { input, StageError, type StageContext } from "./context.js";
import { summaryOf } from "./data-ref.js";
import { readCopySet, readFeatures, readMaps, type FeatureMaps } from "./features.js";

interface EvalConfig {
  eval: string;
  row: string;
  constructor: string;
  settings: Record<string, unknown>;
  roles: Record<string, string>;
}

export interface EvalOutput {
  eval: string;
  row: string;
  metrics: Metrics;
  config: string;
}

const num = (v: unknown): number => Number(magnitude(v));

function features(ctx: StageContext, role: string) {
  const name = (ctx.stage.config as unknown as EvalConfig).roles[role];
  if (!name) throw new StageError(`${ctx.stage.name} has no \`${role}\` features`);
  return readFeatures(input(ctx, name));
}

/** The number of classes of the dataset behind a features stage. */
function classesOf(ctx: StageContext, featuresStage: string): number {
  const f = input(ctx, featuresStage);
  const data = f.stage.inputs.map((n) => ctx.upstream.get(n)).find((s) => s?.stage.kind === "prepare-data");
  const classes = data ? summaryOf(data).classes : null;
  if (!classes) throw new StageError(`${ctx.stage.name}: the training data has no class labels`);
  return classes.length;
}

function probeConfig(p: Record<string, unknown>, classes: number): ProbeConfig {
  return {
    classes,
    epochs: num(p["epochs"]),
    batch: num(p["batch"]),
    optimizer: p["optimizer"] as ProbeConfig["optimizer"],
    schedule: p["schedule"] as ProbeConfig["schedule"],
    seed: num(p["seed"] ?? 0),
  };
}

function run(ctx: StageContext, cfg: EvalConfig): Metrics {
  const s = cfg.settings;
  const name = cfg.eval;
  switch (cfg.constructor) {
    case "linear_probe": {
      const r = linearEval(name, features(ctx, "train"), features(ctx, "test"), probeConfig(s, classesOf(ctx, cfg.roles["train"]!)));
      r.probe.dispose();
      return r.metrics;
    }
    case "knn":
      return knnEval(name, features(ctx, "train"), features(ctx, "test"), { k: num(s["k"]), temperature: num(s["temperature"]), classes: classesOf(ctx, cfg.roles["train"]!) });
    case "fairness": {
      const test = features(ctx, "test");
      const r = linearEval(name, features(ctx, "train"), test, probeConfig(s["probe"] as Record<string, unknown>, classesOf(ctx, cfg.roles["train"]!)));
      r.probe.dispose();
      return fairnessEval(name, r.scores, test, s["group_by"] as string[]);
    }
    case "robustness": {
      const train = features(ctx, "train");
      const tests = Object.keys(cfg.roles).filter((r) => r.startsWith("test")).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
      const first = tests[0] ? features(ctx, tests[0]) : undefined;
      if (!first) throw new StageError(`${ctx.stage.name} has no test sets`);
      const r = linearEval(name, train, first, probeConfig(s["probe"] as Record<string, unknown>, classesOf(ctx, cfg.roles["train"]!)));
      try {
        return robustnessEval(name, r.probe, tests.map((t) => { const f = features(ctx, t); return { name: f.dataset, features: f }; }));
      } finally {
        r.probe.dispose();
      }
    }
    case "copy_detection":
      return copyDetection(ctx, cfg);
    default:
      throw new StageError(`${cfg.constructor} evaluations cannot run yet (\`seer run\` supports linear_probe, knn, fairness, robustness and copy_detection)`);
  }
}

/** R-MAC or GeM descriptors of the set's maps, PCA whitening learned on a separate set, mAP. */
function copyDetection(ctx: StageContext, cfg: EvalConfig): Metrics {
  const s = cfg.settings;
  const data = cfg.roles["data"];
  if (!data) throw new StageError(`${ctx.stage.name} has no \`data\` features`);
  const set = readCopySet(input(ctx, data));
  const pool = (m: FeatureMaps) => poolMaps(m, s["pooling"] === "gem" ? "gem" : "rmac", num(s["levels"] ?? 3));
  const d = set.queries.map[2];
  const database = pool(set.database);
  let whitening: CopyDetectionInput["whitening"];
  if (s["whitening"]) {
    const own = cfg.roles["whitening"];
    // Learned on a separate set: the `pca { train }` images, by default the distractors.
    const train = own ? pool(readMaps(input(ctx, own))) : database.slice(set.distractor_start * d);
    if (train.length < 2 * d) throw new StageError(`${ctx.stage.name}: PCA whitening needs a separate set of at least 2 images: \`pca { train = ... }\`, or distractors in the copy-detection set`);
    whitening = { train, dims: num((s["whitening"] as Record<string, unknown>)["dims"]) };
  }
  if (set.ground_truth.every((g) => g.length === 0)) throw new StageError(`${ctx.stage.name}: no query has an original in the database (queries match originals by file name, or by the \`ground_truth\` file)`);
  return copyDetectionEval(cfg.eval, { queries: pool(set.queries), database, d, groundTruth: set.ground_truth, ...(whitening ? { whitening } : {}) });
}

export async function evaluate(ctx: StageContext): Promise<void> {
  const cfg = ctx.stage.config as unknown as EvalConfig;
  const metrics = run(ctx, cfg);
  const config = `sha256:${createHash("sha256").update(canonicalJson(cfg.settings)).digest("hex")}`;
  const out: EvalOutput = { eval: cfg.eval, row: cfg.row, metrics, config };
  writeFileAtomic(path.join(ctx.out, "metrics.json"), `${JSON.stringify(out, null, 2)}\n`);
  ctx.log(Object.entries(metrics).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", "));
}

export function readEvalOutput(dir: string): EvalOutput {
  return JSON.parse(readFileSync(path.join(dir, "metrics.json"), "utf8")) as EvalOutput;
}
