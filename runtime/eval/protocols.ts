/**
 * Evaluation protocols on extracted features, returning metrics named `EVAL.METRIC` in
 * percent: `linear.top1`, `neighbours.top1`, `fair.group.gap`, `shift.shapes_shifted.top1`,
 * `copydays.map`...
 */
import type { SplitFeatures } from "./features-job.js";
import { LinearProbe, type ProbeConfig } from "./linear-probe.js";
import { groupBreakdown, knnScores, l2NormalizeRows, meanAveragePrecision, rankByCosine, topKAccuracy, topKHits, type Scores } from "./metrics.js";
import { applyWhitening, fitWhitening } from "./retrieval.js";

export type Metrics = Record<string, number>;

export interface TrainedProbe {
  probe: LinearProbe;
  scores: Scores;
  metrics: Metrics;
}

/** Linear probe: top-1, and top-5 when there are more than 5 classes. */
export function linearEval(name: string, train: SplitFeatures, test: SplitFeatures, cfg: ProbeConfig): TrainedProbe {
  const probe = new LinearProbe(train.dim, cfg.classes, cfg.seed);
  probe.train(train, train.labels, cfg);
  return { probe, ...probeMetrics(name, probe, test) };
}

/** A trained probe's scores on a test set and its top-1 (and top-5 when there are more than 5 classes). */
export function probeMetrics(name: string, probe: LinearProbe, test: SplitFeatures): { scores: Scores; metrics: Metrics } {
  const scores = probe.predict(test);
  const metrics: Metrics = { [`${name}.top1`]: topKAccuracy(scores, test.labels, 1) };
  if (probe.classes > 5) metrics[`${name}.top5`] = topKAccuracy(scores, test.labels, 5);
  return { scores, metrics };
}

/** k-NN with temperature-weighted votes on L2-normalised features. */
export function knnEval(name: string, train: SplitFeatures, test: SplitFeatures, o: { k: number; temperature: number; classes: number }): Metrics {
  const tr = l2NormalizeRows(Float32Array.from(train.data), train.dim);
  const te = l2NormalizeRows(Float32Array.from(test.data), test.dim);
  const scores = knnScores(tr, train.labels, te, train.dim, o);
  return { [`${name}.top1`]: topKAccuracy(scores, test.labels, 1) };
}

/**
 * A probe's accuracy per group of each attribute (`EVAL.ATTR.GROUP`, GROUP the attribute's value,
 * or its code when the test set does not say which value a code stands for), the best-minus-worst gap
 * (`EVAL.ATTR.gap`) and the worst group's accuracy (`EVAL.ATTR.worst`); top-5 hit rates too
 * when there are more than 5 classes.
 */
export function fairnessEval(name: string, scores: Scores, test: SplitFeatures, groupBy: readonly string[]): Metrics {
  const out: Metrics = {};
  const top1 = topKHits(scores, test.labels, 1);
  const top5 = scores.classes > 5 ? topKHits(scores, test.labels, 5) : null;
  for (const attr of groupBy) {
    const codes = test.attributes[attr];
    if (!codes) throw new Error(`the test set has no attribute \`${attr}\``);
    const names = test.attributeValues?.[attr];
    const values = names ? Array.from(codes, (c) => names[c] ?? String(c)) : codes;
    const b = groupBreakdown(top1, values);
    for (const [g, acc] of Object.entries(b.groups)) out[`${name}.${attr}.${g}`] = acc;
    out[`${name}.${attr}.gap`] = b.gap;
    out[`${name}.${attr}.worst`] = b.groups[b.worst] ?? 0;
    if (top5) out[`${name}.${attr}.top5_gap`] = groupBreakdown(top5, values).gap;
  }
  return out;
}

export interface RobustnessTest {
  /** Metric name part, e.g. `shapes_shifted`. */
  name: string;
  features: SplitFeatures;
  /** Classes of a `subset_of` test set: the probe's outputs are masked to them. */
  mask?: ReadonlySet<number>;
}

/** Accuracy on each test set and the drop from the first (in-distribution) one. */
export function robustnessEval(name: string, probe: LinearProbe, tests: readonly RobustnessTest[]): Metrics {
  const out: Metrics = {};
  let reference: number | undefined;
  for (const t of tests) {
    const acc = topKAccuracy(probe.predict(t.features), t.features.labels, 1, t.mask);
    out[`${name}.${t.name}.top1`] = acc;
    reference ??= acc;
    out[`${name}.${t.name}.drop`] = reference - acc;
  }
  return out;
}

export interface CopyDetectionInput {
  /** L2-normalised descriptors, row-major [n, d]. */
  queries: Float32Array;
  /** Originals, then distractors. */
  database: Float32Array;
  d: number;
  /** For each query, the indices of its originals in `database`; queries without any are not scored. */
  groundTruth: readonly (readonly number[])[];
  /** PCA whitening learned on `train` (row-major [m, d]) to at most `dims` dimensions (and at most m - 1). */
  whitening?: { train: Float32Array; dims: number };
}

/** Copy detection: (whitening,) cosine ranking of the whole database for each query, mean average precision. */
export function copyDetectionEval(name: string, x: CopyDetectionInput): Metrics {
  let { queries, database, d } = x;
  if (x.whitening) {
    const m = x.whitening.train.length / d;
    const w = fitWhitening(x.whitening.train, d, Math.max(1, Math.min(x.whitening.dims, m - 1)));
    queries = applyWhitening(w, queries);
    database = applyWhitening(w, database);
    d = w.dims;
  }
  const ranks = rankByCosine(queries, database, d);
  const scored = x.groundTruth.flatMap((gt, q) => {
    if (gt.length === 0) return [];
    const relevant = new Set(gt);
    return [{ ranked: Array.from(ranks[q]!, (i) => relevant.has(i)), relevant: gt.length }];
  });
  return { [`${name}.map`]: meanAveragePrecision(scored) };
}
