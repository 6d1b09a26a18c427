/** Multi-crop bookkeeping: which crops assign codes, and which crops share a trunk call. */
import type * as tf from "@tensorflow/tfjs";

/**
 * Indices (in crop order) of the assigning crops: every crop of the first group with
 * count >= 2 (for 2×224 + 6×96 that is crops 0 and 1, swav's `crops_for_assign`).
 */
export function assigningCrops(groups: readonly { count: number }[]): number[] {
  let start = 0;
  for (const g of groups) {
    if (g.count >= 2) return Array.from({ length: g.count }, (_, i) => start + i);
    start += g.count;
  }
  throw new Error("SwAV needs a crop group with count >= 2 to compute codes from.");
}

/** Runs of consecutive crops with the same shape: each run is one trunk call. */
export function resolutionGroups(crops: readonly tf.Tensor4D[]): { start: number; count: number }[] {
  const runs: { start: number; count: number }[] = [];
  crops.forEach((c, i) => {
    const last = runs[runs.length - 1];
    const prev = crops[i - 1];
    if (last && prev && prev.shape.every((s, j) => s === c.shape[j])) last.count++;
    else runs.push({ start: i, count: 1 });
  });
  return runs;
}
