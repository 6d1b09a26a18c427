/**
 * Evaluation metrics on plain arrays, in percent (0-100) as the papers report them:
 * top-k accuracy (optionally with outputs masked to a class subset), temperature-weighted
 * k-NN votes, per-group accuracy and gap, and mean average precision for retrieval.
 */

/** Row-major [n, classes] scores. */
export interface Scores {
  data: Float32Array;
  n: number;
  classes: number;
}

/** Whether each row's label is among its top-k scores (ties broken by lower class index). */
export function topKHits(scores: Scores, labels: ArrayLike<number>, k: number, mask?: ReadonlySet<number>): boolean[] {
  const hits: boolean[] = [];
  for (let i = 0; i < scores.n; i++) {
    const label = labels[i]!;
    const row = scores.data.subarray(i * scores.classes, (i + 1) * scores.classes);
    const allowed = (c: number) => !mask || mask.has(c);
    if (!allowed(label)) {
      hits.push(false);
      continue;
    }
    const own = row[label]!;
    // A non-finite score (a diverged model) is never a hit: NaN compares false with everything,
    // which would otherwise rank the label first.
    if (!Number.isFinite(own) || row.some((v, c) => allowed(c) && !Number.isFinite(v))) {
      hits.push(false);
      continue;
    }
    // Classes ranked above the label: higher score, or equal score and lower index.
    let above = 0;
    for (let c = 0; c < scores.classes && above < k; c++) {
      if (c === label || !allowed(c)) continue;
      const v = row[c]!;
      if (v > own || (v === own && c < label)) above++;
    }
    hits.push(above < k);
  }
  return hits;
}

export function percent(hits: readonly boolean[]): number {
  if (hits.length === 0) return 0;
  return (100 * hits.filter(Boolean).length) / hits.length;
}

export function topKAccuracy(scores: Scores, labels: ArrayLike<number>, k: number, mask?: ReadonlySet<number>): number {
  return percent(topKHits(scores, labels, k, mask));
}

/** L2-normalises each row of a row-major [n, d] matrix in place (zero rows stay zero). */
export function l2NormalizeRows(x: Float32Array, d: number): Float32Array {
  for (let i = 0; i < x.length; i += d) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i + j]! * x[i + j]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) x[i + j] = x[i + j]! * inv;
  }
  return x;
}

export interface KnnOptions {
  k: number;
  temperature: number;
  classes: number;
}

/**
 * k-NN classification as VISSL does it: cosine similarity on L2-normalised features, the k
 * most similar training points vote with weight exp(similarity / temperature).
 * Inputs must already be L2-normalised. Returns the vote scores [nTest, classes].
 */
export function knnScores(train: Float32Array, trainLabels: ArrayLike<number>, test: Float32Array, d: number, o: KnnOptions): Scores {
  const nTrain = train.length / d;
  const nTest = test.length / d;
  const k = Math.min(o.k, nTrain);
  const out = new Float32Array(nTest * o.classes);
  const sims = new Float32Array(nTrain);
  const idx = new Int32Array(nTrain);
  for (let t = 0; t < nTest; t++) {
    const q = test.subarray(t * d, (t + 1) * d);
    for (let i = 0; i < nTrain; i++) {
      let s = 0;
      const off = i * d;
      for (let j = 0; j < d; j++) s += q[j]! * train[off + j]!;
      sims[i] = s;
      idx[i] = i;
    }
    // Partial selection of the k largest (stable: ties go to the lower index).
    const order = Array.from(idx).sort((a, b) => sims[b]! - sims[a]! || a - b).slice(0, k);
    for (const i of order) out[t * o.classes + trainLabels[i]!]! += Math.exp(sims[i]! / o.temperature);
  }
  return { data: out, n: nTest, classes: o.classes };
}

export interface GroupBreakdown {
  /** Accuracy per group value, in percent. */
  groups: Record<string, number>;
  /** Examples per group. */
  counts: Record<string, number>;
  /** Best minus worst group accuracy (points). */
  gap: number;
  worst: string;
  best: string;
}

/** Per-group accuracy of per-example hits; groups are compared by their string form. */
export function groupBreakdown(hits: readonly boolean[], groups: ArrayLike<string | number>): GroupBreakdown {
  const right = new Map<string, number>();
  const total = new Map<string, number>();
  for (let i = 0; i < hits.length; i++) {
    const g = String(groups[i]);
    total.set(g, (total.get(g) ?? 0) + 1);
    if (hits[i]) right.set(g, (right.get(g) ?? 0) + 1);
  }
  const keys = [...total.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const acc: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const g of keys) {
    acc[g] = (100 * (right.get(g) ?? 0)) / total.get(g)!;
    counts[g] = total.get(g)!;
  }
  let worst = keys[0] ?? "";
  let best = keys[0] ?? "";
  for (const g of keys) {
    if (acc[g]! < acc[worst]!) worst = g;
    if (acc[g]! > acc[best]!) best = g;
  }
  return { groups: acc, counts, gap: keys.length > 0 ? acc[best]! - acc[worst]! : 0, worst, best };
}

/**
 * Average precision of one query's ranking (relevance flags in ranked order) over all
 * `relevantTotal` relevant items (those never retrieved count as misses), in [0, 1].
 */
export function averagePrecision(rankedRelevant: readonly boolean[], relevantTotal: number): number {
  if (relevantTotal === 0) return 0;
  let hits = 0;
  let sum = 0;
  rankedRelevant.forEach((rel, i) => {
    if (rel) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / relevantTotal;
}

/** Mean average precision over queries, in percent. */
export function meanAveragePrecision(queries: readonly { ranked: readonly boolean[]; relevant: number }[]): number {
  if (queries.length === 0) return 0;
  return (100 * queries.reduce((s, q) => s + averagePrecision(q.ranked, q.relevant), 0)) / queries.length;
}

/** Ranks database items for each query by cosine similarity (inputs L2-normalised). */
export function rankByCosine(queries: Float32Array, database: Float32Array, d: number): Int32Array[] {
  const nq = queries.length / d;
  const nd = database.length / d;
  const out: Int32Array[] = [];
  for (let q = 0; q < nq; q++) {
    const sims = new Float32Array(nd);
    for (let i = 0; i < nd; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += queries[q * d + j]! * database[i * d + j]!;
      sims[i] = s;
    }
    out.push(Int32Array.from(Array.from({ length: nd }, (_, i) => i).sort((a, b) => sims[b]! - sims[a]! || a - b)));
  }
  return out;
}
