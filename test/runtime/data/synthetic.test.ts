import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { SyntheticDataset, syntheticParams, syntheticSample } from "../../../runtime/data/synthetic.js";
import { BASE_SHAPES, MAX_CLASSES, className, shapeClass } from "../../../runtime/data/synthetic-shapes.js";
import { SYNTHETIC_GENERATOR_VERSION, fingerprintSynthetic } from "../../../runtime/data/fingerprint.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

test("an image depends on (seed, index) alone: same pixels every time, different for another index or seed", () => {
  const p = syntheticParams({ images: 50, size: 32, classes: 10, seed: 3 });
  const a = syntheticSample(p, 7).pixels;
  assert.equal(a.length, 32 * 32 * 3);
  assert.deepEqual(syntheticSample(p, 7).pixels, a);
  // The same image from a dataset of another size (images are generated, not stored).
  assert.deepEqual(syntheticSample({ ...p, images: 5000 }, 7).pixels, a);
  assert.notDeepEqual(syntheticSample(p, 8).pixels, a);
  assert.notDeepEqual(syntheticSample({ ...p, seed: 4 }, 7).pixels, a);
  const out = new Uint8Array(32 * 32 * 3);
  assert.equal(syntheticSample(p, 7, out).pixels, out);
  assert.deepEqual(out, a);
});

test("pixels are pinned (portable: integer and float64 arithmetic only)", () => {
  // If this fails the generator changed: bump SYNTHETIC_GENERATOR_VERSION and update the hashes.
  assert.equal(SYNTHETIC_GENERATOR_VERSION, 1);
  const p = syntheticParams({ images: 100, size: 32, classes: 10, seed: 1, groups: 4, shift: 0.5 });
  assert.equal(sha(syntheticSample(p, 0).pixels), "0500c1683e6e8cdd9893554dd9529ceb71d9cf79fa0881911abce4726a19c18d");
  assert.equal(sha(syntheticSample(p, 57).pixels), "33f260a7f956898f7ebf336b8162a7156fef04ec39ff16fda9cfa1b9f1d3b888");
});

test("labels are balanced and independent of the seed; classes are geometry only", () => {
  const ds = new SyntheticDataset({ images: 1003, classes: 10, seed: 9 });
  const counts = new Array<number>(10).fill(0);
  for (const l of ds.labels()) counts[l]!++;
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts}`);
  assert.equal(ds.get(23).label, 3);
  assert.equal(new SyntheticDataset({ images: 1003, classes: 10, seed: 1 }).label(23), 3);
  assert.equal(className(5), "star");
  assert.equal(className(BASE_SHAPES.length + 1), "2 square");
  assert.ok(MAX_CLASSES >= 1000);
  const names = new Set(Array.from({ length: 1000 }, (_, c) => className(c)));
  assert.equal(names.size, 1000, "every class is a distinct geometry");
  assert.equal(shapeClass(0).copies, 1);
});

test("groups: assigned to every image, roughly uniform, independent of the label", () => {
  const ds = new SyntheticDataset({ images: 2000, classes: 10, groups: 4, seed: 2 });
  const g = ds.groups();
  const counts = [0, 0, 0, 0];
  const perClass = Array.from({ length: 10 }, () => new Set<number>());
  g.forEach((x, i) => {
    counts[x]!++;
    perClass[ds.label(i)]!.add(x);
  });
  for (const c of counts) assert.ok(Math.abs(c - 500) < 90, `group counts ${counts}`);
  for (const s of perClass) assert.equal(s.size, 4);
  assert.equal(ds.get(11).attributes.group, g[11]);
  assert.deepEqual([...new SyntheticDataset({ images: 50 }).groups()], new Array(50).fill(0));
});

interface ColourStats { mean: [number, number, number]; saturation: number }
function colourStats(shift: number, seed: number, n = 300): ColourStats {
  const p = syntheticParams({ images: n, size: 32, classes: 10, shift, seed });
  const mean: [number, number, number] = [0, 0, 0];
  let sat = 0, count = 0;
  for (let i = 0; i < n; i++) {
    const px = syntheticSample(p, i).pixels;
    for (let o = 0; o < px.length; o += 3) {
      const r = px[o]!, g = px[o + 1]!, b = px[o + 2]!;
      mean[0] += r; mean[1] += g; mean[2] += b;
      const mx = Math.max(r, g, b);
      sat += mx === 0 ? 0 : (mx - Math.min(r, g, b)) / mx;
      count++;
    }
  }
  return { mean: mean.map((x) => x / count) as [number, number, number], saturation: sat / count };
}

test("shift moves the colour distribution (same seed, different shift)", () => {
  const s0 = colourStats(0, 1), s0b = colourStats(0, 2), s5 = colourStats(0.5, 1);
  const dist = (a: ColourStats, b: ColourStats) => Math.hypot(a.mean[0] - b.mean[0], a.mean[1] - b.mean[1], a.mean[2] - b.mean[2]);
  assert.ok(dist(s0, s0b) < 6, `two seeds at shift 0 differ by ${dist(s0, s0b)}`);
  assert.ok(dist(s0, s5) > 3 * dist(s0, s0b) && dist(s0, s5) > 12, `shift 0.5 moves the mean colour by ${dist(s0, s5)}`);
  assert.ok(s5.saturation > s0.saturation + 0.1, `saturation ${s0.saturation} -> ${s5.saturation}`);
});

test("the class cannot be read off colour statistics (nearest centroid on mean/std colour is near chance)", () => {
  const p = syntheticParams({ images: 2000, size: 32, classes: 10, seed: 1, groups: 4 });
  const feats: number[][] = [], labels: number[] = [];
  for (let i = 0; i < p.images; i++) {
    const s = syntheticSample(p, i);
    const f = [0, 0, 0, 0, 0, 0];
    for (let o = 0; o < s.pixels.length; o += 3) for (let c = 0; c < 3; c++) { f[c]! += s.pixels[o + c]!; f[c + 3]! += s.pixels[o + c]! ** 2; }
    const n = s.pixels.length / 3;
    for (let c = 0; c < 3; c++) { f[c]! /= n; f[c + 3] = Math.sqrt(f[c + 3]! / n - f[c]! ** 2); }
    feats.push(f);
    labels.push(s.label);
  }
  const train = 1500;
  const cent = Array.from({ length: 10 }, () => [0, 0, 0, 0, 0, 0]), cnt = new Array<number>(10).fill(0);
  for (let i = 0; i < train; i++) { cnt[labels[i]!]!++; feats[i]!.forEach((v, j) => (cent[labels[i]!]![j]! += v)); }
  cent.forEach((c, k) => c.forEach((_, j) => (c[j]! /= cnt[k]!)));
  let ok = 0;
  for (let i = train; i < p.images; i++) {
    let best = 0, bd = Infinity;
    cent.forEach((c, k) => { const d = c.reduce((s, v, j) => s + (v - feats[i]![j]!) ** 2, 0); if (d < bd) { bd = d; best = k; } });
    if (best === labels[i]) ok++;
  }
  const acc = ok / (p.images - train);
  assert.ok(acc < 0.2, `colour-only accuracy ${acc} (chance 0.1)`);
});

test("parameters are validated and fingerprinted", () => {
  assert.throws(() => syntheticParams({ images: 0 }), RangeError);
  assert.throws(() => syntheticParams({ images: 10, shift: 1.5 }), RangeError);
  assert.throws(() => syntheticParams({ images: 10, classes: MAX_CLASSES + 1 }), RangeError);
  assert.throws(() => syntheticSample(syntheticParams({ images: 10 }), 10), RangeError);
  const a = fingerprintSynthetic(syntheticParams({ images: 100, seed: 1 }));
  assert.equal(a.value, fingerprintSynthetic(syntheticParams({ images: 100, seed: 1 })).value);
  assert.notEqual(a.value, fingerprintSynthetic(syntheticParams({ images: 100, seed: 2 })).value);
  assert.match(a.value, /^sha256:[0-9a-f]{64}$/);
});

test("larger images render too (64 px and 224 px)", () => {
  for (const size of [64, 224]) {
    const s = syntheticSample(syntheticParams({ images: 2, size, classes: 20 }), 1);
    assert.equal(s.pixels.length, size * size * 3);
    let lo = 255, hi = 0;
    for (const v of s.pixels) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    assert.ok(hi - lo > 60, "has contrast");
  }
});
