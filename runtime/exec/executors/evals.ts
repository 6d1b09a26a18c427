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
import { LinearProbe, type ProbeConfig } from "../../eval/linear-probe.js";
import { copyDetectionEval, fairnessEval, knnEval, probeMetrics, robustnessEval, type CopyDetectionInput, type Metrics } from "../../eval/protocols.js";
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

/** A probe's training settings from an eval's resolved `settings` (or its `probe`). */
export function probeConfig(p: Record<string, unknown>, classes: number): ProbeConfig {
  return {
    classes,
    epochs: num(p["epochs"]),
    batch: num(p["batch"]),
    optimizer: p["optimizer"] as ProbeConfig["optimizer"],
    schedule: p["schedule"] as ProbeConfig["schedule"],
    seed: num(p["seed"] ?? 0),
  };
}

/**
 * Probes trained in this process, by training features (their content-addressed stage folder)
 * and settings: fairness and robustness evals of `probe = linear` reuse the linear eval's probe
 * instead of training the same one again (training is seeded, so the probe is the same).
 */
const probes = new Map<string, LinearProbe>();
const KEEP_PROBES = 8;

function trainedProbe(ctx: StageContext, cfg: EvalConfig, settings: Record<string, unknown>): LinearProbe {
  const trainStage = cfg.roles["train"];
  if (!trainStage) throw new StageError(`${ctx.stage.name} has no \`train\` features`);
  const pc = probeConfig(settings, classesOf(ctx, trainStage));
  const key = canonicalJson({ train: input(ctx, trainStage).dir, probe: pc });
  const known = probes.get(key);
  if (known) return known;
  const train = features(ctx, "train");
  const probe = new LinearProbe(train.dim, pc.classes, pc.seed);
  probe.train(train, train.labels, pc);
  probes.set(key, probe);
  for (const [k, p] of probes) {
    if (probes.size <= KEEP_PROBES) break;
    p.dispose();
    probes.delete(k);
  }
  return probe;
}

function run(ctx: StageContext, cfg: EvalConfig): Metrics {
  const s = cfg.settings;
  const name = cfg.eval;
  switch (cfg.constructor) {
    case "linear_probe":
      return probeMetrics(name, trainedProbe(ctx, cfg, s), features(ctx, "test")).metrics;
    case "knn":
      return knnEval(name, features(ctx, "train"), features(ctx, "test"), { k: num(s["k"]), temperature: num(s["temperature"]), classes: classesOf(ctx, cfg.roles["train"]!) });
    case "fairness": {
      const test = features(ctx, "test");
      const probe = trainedProbe(ctx, cfg, s["probe"] as Record<string, unknown>);
      return fairnessEval(name, probe.predict(test), test, s["group_by"] as string[]);
    }
    case "robustness": {
      const tests = Object.keys(cfg.roles).filter((r) => r.startsWith("test")).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
      if (tests.length === 0) throw new StageError(`${ctx.stage.name} has no test sets`);
      const probe = trainedProbe(ctx, cfg, s["probe"] as Record<string, unknown>);
      return robustnessEval(name, probe, tests.map((t) => { const f = features(ctx, t); return { name: f.dataset, features: f }; }));
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
