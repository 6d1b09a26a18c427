/**
 * Evaluation stages on published features: linear probe, k-NN, fairness, robustness and
 * copy detection.
 * Each writes `metrics.json`: `{ metrics: {"EVAL.METRIC": percent}, config: "sha256:..." }`,
 * the config hash being that of the eval's resolved settings.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { isEvalStage, type StageOf } from "../../../contract/graph.js";
import type { EvalKind } from "../../../contract/kinds.js";
import type { CopyDetectionEvalSpec, ProbeSpec } from "../../../contract/specs.js";
import { canonicalJson } from "../../../core/json.js";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import { LinearProbe, type ProbeConfig } from "../../eval/linear-probe.js";
import { copyDetectionEval, fairnessEval, knnEval, probeMetrics, robustnessEval, type CopyDetectionInput, type Metrics } from "../../eval/protocols.js";
import { poolMaps } from "../../eval/retrieval.js";
import { input, StageError, type StageContext } from "./context.js";
import { summaryOf } from "./data-ref.js";
import { readCopySet, readFeatures, readMaps, type FeatureMaps } from "./features.js";

/** An eval stage of any eval kind. */
type EvalStage = StageOf<EvalKind>;

export interface EvalOutput {
  eval: string;
  row: string;
  metrics: Metrics;
  config: string;
}

function features(ctx: StageContext, name: string) {
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

/** A probe's training settings from its spec. */
export function probeConfig(p: ProbeSpec, classes: number): ProbeConfig {
  return { classes, epochs: p.epochs, batch: p.batch, optimizer: p.optimizer, schedule: p.schedule, seed: p.seed };
}

/**
 * Probes trained in this process, by training features (their content-addressed stage folder)
 * and settings: fairness and robustness evals of `probe = linear` reuse the linear eval's probe
 * instead of training the same one again (training is seeded, so the probe is the same).
 */
const probes = new Map<string, LinearProbe>();
const KEEP_PROBES = 8;

function trainedProbe(ctx: StageContext, trainStage: string, settings: ProbeSpec): LinearProbe {
  const pc = probeConfig(settings, classesOf(ctx, trainStage));
  const key = canonicalJson({ train: input(ctx, trainStage).dir, probe: pc });
  const known = probes.get(key);
  if (known) return known;
  const train = features(ctx, trainStage);
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

function run(ctx: StageContext, stage: EvalStage): Metrics {
  switch (stage.kind) {
    case "linear-eval": {
      const { spec } = stage;
      return probeMetrics(spec.eval, trainedProbe(ctx, spec.inputs.train, spec.probe), features(ctx, spec.inputs.test)).metrics;
    }
    case "knn-eval": {
      const { spec } = stage;
      return knnEval(spec.eval, features(ctx, spec.inputs.train), features(ctx, spec.inputs.test), { k: spec.k, temperature: spec.temperature, classes: classesOf(ctx, spec.inputs.train) });
    }
    case "fairness-eval": {
      const { spec } = stage;
      const test = features(ctx, spec.inputs.test);
      const probe = trainedProbe(ctx, spec.inputs.train, spec.probe);
      return fairnessEval(spec.eval, probe.predict(test), test, spec.group_by);
    }
    case "robustness-eval": {
      const { spec } = stage;
      const probe = trainedProbe(ctx, spec.inputs.train, spec.probe);
      return robustnessEval(spec.eval, probe, spec.inputs.tests.map((t) => { const f = features(ctx, t); return { name: f.dataset, features: f }; }));
    }
    case "copy-detection-eval":
      return copyDetection(ctx, stage.spec);
  }
}

/** R-MAC or GeM descriptors of the set's maps, PCA whitening learned on a separate set, mAP. */
function copyDetection(ctx: StageContext, s: CopyDetectionEvalSpec): Metrics {
  const set = readCopySet(input(ctx, s.inputs.data));
  const pool = (m: FeatureMaps) => poolMaps(m, s.pooling, s.levels);
  const d = set.queries.map[2];
  const database = pool(set.database);
  let whitening: CopyDetectionInput["whitening"];
  if (s.whitening) {
    const own = s.inputs.whitening;
    // Learned on a separate set: the `pca { train }` images, by default the distractors.
    const train = own ? pool(readMaps(input(ctx, own))) : database.slice(set.distractor_start * d);
    if (train.length < 2 * d) throw new StageError(`${ctx.stage.name}: PCA whitening needs a separate set of at least 2 images: \`pca { train = ... }\`, or distractors in the copy-detection set`);
    whitening = { train, dims: s.whitening.dims };
  }
  if (set.ground_truth.every((g) => g.length === 0)) throw new StageError(`${ctx.stage.name}: no query has an original in the database (queries match originals by file name, or by the \`ground_truth\` file)`);
  return copyDetectionEval(s.eval, { queries: pool(set.queries), database, d, groundTruth: set.ground_truth, ...(whitening ? { whitening } : {}) });
}

function evalStage(ctx: StageContext): EvalStage {
  const s = ctx.stage;
  if (!isEvalStage(s)) throw new StageError(`${s.name} is not an evaluation`);
  return s;
}

export async function evaluate(ctx: StageContext): Promise<void> {
  const stage = evalStage(ctx);
  const metrics = run(ctx, stage);
  const { inputs: _inputs, eval: name, row, ...settings } = stage.spec;
  const config = `sha256:${createHash("sha256").update(canonicalJson(settings)).digest("hex")}`;
  const out: EvalOutput = { eval: name, row, metrics, config };
  writeFileAtomic(path.join(ctx.out, "metrics.json"), `${JSON.stringify(out, null, 2)}\n`);
  ctx.log(Object.entries(metrics).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", "));
}

export function readEvalOutput(dir: string): EvalOutput {
  return JSON.parse(readFileSync(path.join(dir, "metrics.json"), "utf8")) as EvalOutput;
}
