/**
 * Plain float64 reference implementations of Sinkhorn-Knopp and the swapped-prediction loss,
 * written loop by loop from the formulas (SwAV §3.1 and §1.5 of the fact sheet). Tests compare
 * the TensorFlow.js versions against these; they are not used for training.
 */

export interface Dims {
  /** Number of crops V. */
  crops: number;
  /** Images per crop B. */
  batch: number;
  /** Embedding size D. */
  dim: number;
  /** Number of prototypes K. */
  k: number;
}

/** Sinkhorn-Knopp on row-major scores [n, k]; returns all n rows of codes (each sums to 1). */
export function sinkhornReference(scores: ArrayLike<number>, n: number, k: number, opts: { iterations: number; epsilon: number }): Float64Array {
  const q = new Float64Array(n * k);
  let max = -Infinity;
  for (let i = 0; i < n * k; i++) max = Math.max(max, scores[i]!);
  let total = 0;
  for (let i = 0; i < n * k; i++) {
    q[i] = Math.exp((scores[i]! - max) / opts.epsilon);
    total += q[i]!;
  }
  for (let i = 0; i < n * k; i++) q[i]! /= total;
  for (let it = 0; it < opts.iterations; it++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += q[r * k + c]!;
      for (let r = 0; r < n; r++) q[r * k + c]! /= s * k;
    }
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += q[r * k + c]!;
      for (let c = 0; c < k; c++) q[r * k + c]! /= s * n;
    }
  }
  for (let i = 0; i < n * k; i++) q[i]! *= n;
  return q;
}

/** Scores z·Cᵀ for row-major z [rows, d] and prototypes [k, d]. */
export function scoresReference(z: ArrayLike<number>, rows: number, protos: ArrayLike<number>, k: number, d: number): Float64Array {
  const s = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc += z[r * d + j]! * protos[c * d + j]!;
      s[r * k + c] = acc;
    }
  }
  return s;
}

/**
 * The swapped-prediction loss for crop-major embeddings z [V·B, D] with the codes held fixed:
 * codes[i] [B, K] belongs to assigning crop assign[i].
 *   L = (1/|A|) Σ_a (1/(V−1)) Σ_{v≠a} −(1/B) Σ_b Σ_k q_a[b,k] · log softmax_k(z_v[b]·C/τ)
 */
export function swappedLossReference(
  z: ArrayLike<number>,
  protos: ArrayLike<number>,
  dims: Dims,
  assign: readonly number[],
  codes: readonly Float64Array[],
  temperature: number,
): number {
  const { crops: v, batch: b, dim: d, k } = dims;
  const scores = scoresReference(z, v * b, protos, k, d);
  const logp = new Float64Array(v * b * k);
  for (let r = 0; r < v * b; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[r * k + c]! / temperature);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(scores[r * k + c]! / temperature - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < k; c++) logp[r * k + c] = scores[r * k + c]! / temperature - lse;
  }
  let loss = 0;
  assign.forEach((a, i) => {
    const q = codes[i]!;
    let sub = 0;
    for (let view = 0; view < v; view++) {
      if (view === a) continue;
      let l = 0;
      for (let row = 0; row < b; row++) {
        for (let c = 0; c < k; c++) l -= q[row * k + c]! * logp[(view * b + row) * k + c]!;
      }
      sub += l / b;
    }
    loss += sub / (v - 1);
  });
  return loss / assign.length;
}
