// Copy-detection descriptors: R-MAC regions and pooling, GeM, PCA whitening.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyWhitening, fitWhitening, gem, poolMaps, rmac, rmacRegions, symmetricEigen } from "../../runtime/eval/retrieval.js";
import { copyDetectionEval } from "../../runtime/eval/protocols.js";

test("R-MAC regions cover the map: 1 region at level 1 of a square map, 4 at level 2, 9 at level 3", () => {
  const r = rmacRegions(7, 7, 3);
  assert.equal(r.length, 1 + 4 + 9);
  assert.deepEqual(r[0], { x: 0, y: 0, w: 7, h: 7 });
  for (const reg of r) assert.ok(reg.x >= 0 && reg.y >= 0 && reg.x + reg.w <= 7 && reg.y + reg.h <= 7);
  // A wide map gets extra level-1 regions along its width.
  assert.ok(rmacRegions(4, 12, 1).length > 1);
});

test("R-MAC of a single-level map is the L2-normalised channel maximum", () => {
  // 2 channels, 2x2: channel 0 max 3, channel 1 max 4 -> (0.6, 0.8).
  const d = rmac({ data: Float32Array.from([1, 3, 2, 0, 4, 1, 0, 2]), channels: 2, height: 2, width: 2 }, 1);
  assert.ok(Math.abs(d[0]! - 0.6) < 1e-6 && Math.abs(d[1]! - 0.8) < 1e-6);
});

test("GeM with p = 1 is average pooling (normalised)", () => {
  const d = gem({ data: Float32Array.from([1, 1, 1, 1, 2, 2, 2, 2]), channels: 2, height: 2, width: 2 }, 1);
  assert.ok(Math.abs(d[0]! - 1 / Math.sqrt(5)) < 1e-6 && Math.abs(d[1]! - 2 / Math.sqrt(5)) < 1e-6);
});

test("Jacobi eigen-decomposition of a known symmetric matrix", () => {
  // [[2,1],[1,2]] has eigenvalues 3 and 1.
  const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
  assert.deepEqual(Array.from(values).map((v) => Math.round(v * 1e9) / 1e9).sort(), [1, 3]);
});

test("PCA whitening keeps the high-variance direction and decorrelates", () => {
  // Points spread along (1, 1) with a little noise along (1, -1).
  const pts: number[] = [];
  // Noise +-0.1 alternating in sign: uncorrelated with i over the symmetric range, so the axis is exactly (1, 1).
  for (let i = -10; i <= 10; i++) pts.push(i + 0.1 * (-1) ** i, i - 0.1 * (-1) ** i);
  const x = Float32Array.from(pts);
  const w = fitWhitening(x, 2, 1);
  const dir = [w.projection[0]!, w.projection[1]!];
  const norm = Math.hypot(dir[0]!, dir[1]!);
  assert.ok(Math.abs(Math.abs(dir[0]! / norm) - Math.SQRT1_2) < 1e-3 && Math.abs(dir[0]! / norm - dir[1]! / norm) < 1e-3, "top direction is (1,1)/sqrt(2)");
  const y = applyWhitening(w, x);
  assert.equal(y.length, 21);
  for (const v of y) assert.ok(Math.abs(Math.abs(v) - 1) < 1e-6 || v === 0, "1-d outputs are L2-normalised to +-1");
});

test("poolMaps reads NHWC rows: each descriptor equals R-MAC (or GeM) of the same map in CHW layout", () => {
  const [h, w, c, n] = [3, 4, 5, 2];
  const data = Float32Array.from({ length: n * h * w * c }, (_, i) => ((i * 37) % 11) / 10);
  for (const pooling of ["rmac", "gem"] as const) {
    const pooled = poolMaps({ data, n, map: [h, w, c] }, pooling, 2);
    for (let i = 0; i < n; i++) {
      const chw = new Float32Array(c * h * w);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) chw[k * h * w + y * w + x] = data[i * h * w * c + (y * w + x) * c + k]!;
      const m = { data: chw, channels: c, height: h, width: w };
      assert.deepEqual(Array.from(pooled.subarray(i * c, (i + 1) * c)), Array.from(pooling === "gem" ? gem(m) : rmac(m, 2)), `${pooling} image ${i}`);
    }
  }
});

test("copy-detection mAP of a known ranking, with and without a distractor; queries without originals are not scored", () => {
  // q0 = (1, 0) matches o0, q1 = (0, 1) matches o1; q2 has no original.
  const queries = Float32Array.from([1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2]);
  const originals = [0.8, 0.6, 0.6, 0.8];
  const groundTruth = [[0], [1], []];
  // Without distractors both queries rank their original first: mAP 100.
  assert.deepEqual(copyDetectionEval("cd", { queries, database: Float32Array.from(originals), d: 2, groundTruth }), { "cd.map": 100 });
  // A distractor equal to q0 ranks first for q0: AP 1/2 for q0, 1 for q1, mAP 75.
  const withDistractor = copyDetectionEval("cd", { queries, database: Float32Array.from([...originals, 1, 0]), d: 2, groundTruth });
  assert.ok(Math.abs(withDistractor["cd.map"]! - 75) < 1e-9, String(withDistractor["cd.map"]));
});

test("copy detection with whitening keeps at most m - 1 dimensions of an m-image training set", () => {
  const d = 4;
  const train = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]); // 3 images: 2 directions of variance after centring
  const queries = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]);
  // o0 (the original of q0) has a small component along e3, where the training set has no variance:
  // whitened with all 4 dimensions it would be blown up and put o1 first for q0 (mAP 75).
  const database = Float32Array.from([0.9, 0.1, 0, 0.05, 0.8, 0.2, 0, 0, 0.1, 0.9, 0, 0]);
  const m = copyDetectionEval("cd", { queries, database, d, groundTruth: [[0], [2]], whitening: { train, dims: 64 } });
  assert.deepEqual(m, { "cd.map": 100 });
});
