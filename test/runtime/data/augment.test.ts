import { test } from "node:test";
import assert from "node:assert/strict";
import { Augmenter, IMAGENET_MEAN, IMAGENET_STD, PROBE_AUGMENT, SWAV_AUGMENT, randomResizedCropBox, flipHorizontal } from "../../../runtime/data/augment.js";
import { adjustHue, adjustBrightness, toGrayscale, Blur } from "../../../runtime/data/colour.js";
import { rgbImage, type RgbImage } from "../../../runtime/data/image.js";
import { Resampler } from "../../../runtime/data/resize.js";
import { Rotation, cosSin } from "../../../runtime/data/rotate.js";
import { derive } from "../../../runtime/data/rng.js";
import { syntheticParams, syntheticSample } from "../../../runtime/data/synthetic.js";

const sample = (i: number, size = 32): RgbImage => rgbImage(size, size, syntheticSample(syntheticParams({ images: 100, size }), i).pixels);

test("same stream gives identical crops; another crop index gives a different crop", () => {
  const img = sample(3);
  const a = new Float32Array(32 * 32 * 3), b = new Float32Array(32 * 32 * 3), c = new Float32Array(32 * 32 * 3);
  const aug = new Augmenter();
  aug.crop(img, 32, [0.3, 1], derive(0, 1, 3, 0), a, 0);
  new Augmenter().crop(img, 32, [0.3, 1], derive(0, 1, 3, 0), b, 0);
  aug.crop(img, 32, [0.3, 1], derive(0, 1, 3, 1), c, 0);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("outputs: shapes, offsets and normalisation ranges", () => {
  const img = sample(4);
  const out = new Float32Array(3 * 16 * 16 * 3).fill(99);
  const aug = new Augmenter(SWAV_AUGMENT);
  for (let k = 0; k < 200; k++) aug.crop(img, 16, [0.1, 0.3], derive(1, k), out, 16 * 16 * 3);
  for (let i = 0; i < 16 * 16 * 3; i++) assert.equal(out[i], 99, "writes only its slot");
  for (let i = 2 * 16 * 16 * 3; i < out.length; i++) assert.equal(out[i], 99, "writes only its slot");
  for (let i = 16 * 16 * 3; i < 2 * 16 * 16 * 3; i++) {
    const c = i % 3;
    const lo = (0 - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!, hi = (1 - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
    assert.ok(out[i]! >= lo - 1e-5 && out[i]! <= hi + 1e-5, `value ${out[i]} outside [${lo}, ${hi}]`);
  }
});

test("RandomResizedCrop respects scale and ratio, and falls back to a centre crop", () => {
  for (const [scale, W, H] of [[[0.14, 1], 224, 224], [[0.05, 0.14], 300, 200], [[0.3, 1], 32, 32]] as const) {
    let fallbacks = 0;
    for (let k = 0; k < 2000; k++) {
      const b = randomResizedCropBox(W, H, scale, [3 / 4, 4 / 3], derive(2, k));
      assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= W && b.y + b.h <= H, "inside the image");
      const area = (b.w * b.h) / (W * H);
      const ratio = b.w / b.h;
      const fallback = b.w === Math.min(W, Math.round(H * 4 / 3)) && b.h === H;
      if (fallback) fallbacks++;
      // Rounding w and h to whole pixels moves the area by up to ~(w + h) / (W·H).
      const slack = (b.w + b.h + 1) / (W * H);
      assert.ok(fallback || (area >= scale[0] - slack && area <= scale[1] + slack), `area ${area} outside ${scale}`);
      assert.ok(fallback || (ratio >= 3 / 4 - 0.1 && ratio <= 4 / 3 + 0.1), `ratio ${ratio}`);
    }
    assert.ok(fallbacks < 200, `${fallbacks} fallbacks`);
  }
  // A ratio no crop can satisfy: the centre crop of torchvision.
  assert.deepEqual(randomResizedCropBox(100, 100, [1, 1], [2, 3], derive(0)), { x: 0, y: 25, w: 100, h: 50 });
});

test("with no randomness left, a full-image crop is the normalised image (identity resampling)", () => {
  const img = sample(5);
  const out = new Float32Array(32 * 32 * 3);
  new Augmenter({ ...PROBE_AUGMENT, flip: 0, ratio: [1, 1] }).crop(img, 32, [1, 1], derive(0), out, 0);
  const ev = new Float32Array(32 * 32 * 3);
  new Augmenter().evalCrop(img, 32, ev, 0, 1);
  for (let i = 0; i < out.length; i++) {
    const c = i % 3;
    const want = (img.data[i]! / 255 - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
    assert.ok(Math.abs(out[i]! - want) < 1e-5 && Math.abs(ev[i]! - want) < 1e-5);
  }
});

test("eval transform: resize 256/224 then centre crop, on a non-square image", () => {
  const img = rgbImage(80, 40, new Uint8Array(80 * 40 * 3));
  // Left half black, right half white: the centre crop straddles the edge symmetrically.
  for (let y = 0; y < 40; y++) for (let x = 40; x < 80; x++) img.data.fill(255, (y * 80 + x) * 3, (y * 80 + x) * 3 + 3);
  const out = new Float32Array(16 * 16 * 3);
  const box = new Augmenter().evalCrop(img, 16, out, 0);
  assert.ok(Math.abs(box.w - 40 * 16 / 18) < 1e-9 && Math.abs(box.x + box.w / 2 - 40) < 1e-9);
  const px = (x: number, y: number) => out[(y * 16 + x) * 3]! * IMAGENET_STD[0] + IMAGENET_MEAN[0];
  assert.ok(px(0, 8) < 0.01 && px(15, 8) > 0.99);
});

test("downscaling antialiases (a 1-px checkerboard becomes grey) and constant images stay constant", () => {
  const W = 64;
  const img = rgbImage(W, W);
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) img.data.fill((x + y) % 2 ? 255 : 0, (y * W + x) * 3, (y * W + x) * 3 + 3);
  const out = new Float32Array(16 * 16 * 3);
  new Resampler().resize(img, 0, 0, W, W, 16, 16, out, 0);
  for (const v of out) assert.ok(Math.abs(v - 0.5) < 0.05, `value ${v}`);
  const flat = rgbImage(20, 10, new Uint8Array(20 * 10 * 3).fill(51));
  const o2 = new Float32Array(7 * 7 * 3);
  new Resampler().resize(flat, 3.3, 1.2, 9.1, 7.7, 7, 7, o2, 0);
  for (const v of o2) assert.ok(Math.abs(v - 0.2) < 1e-6);
});

test("colour ops: grayscale, brightness, hue round trip, flip, blur of a constant", () => {
  const p = new Float32Array([0.9, 0.2, 0.1, 0.3, 0.6, 0.8, 0.5, 0.5, 0.5]);
  const q = Float32Array.from(p);
  adjustHue(q, 0, 3, 0.13);
  assert.notDeepEqual(q, p);
  adjustHue(q, 0, 3, -0.13);
  for (let i = 0; i < p.length; i++) assert.ok(Math.abs(q[i]! - p[i]!) < 1e-5);
  const b = Float32Array.from(p);
  adjustBrightness(b, 0, 3, 2);
  assert.equal(b[0], 1);
  toGrayscale(b, 0, 3);
  assert.equal(b[3], b[4]);
  const f = new Float32Array([1, 1, 1, 2, 2, 2]);
  flipHorizontal(f, 0, 2, 1);
  assert.deepEqual([...f], [2, 2, 2, 1, 1, 1]);
  const c = new Float32Array(8 * 8 * 3).fill(0.25);
  new Blur().apply(c, 0, 8, 8, 1.7);
  for (const v of c) assert.ok(Math.abs(v - 0.25) < 1e-6);
});

test("rotation: exact angles move pixels where expected, 360° is the identity, and rotate = 0 leaves SwAV's random stream untouched", () => {
  const S = 5;
  const one = (row: number, col: number) => {
    const p = new Float32Array(S * S * 3);
    p[(row * S + col) * 3] = 1;
    return p;
  };
  const lit = (p: Float32Array) => [...p].flatMap((v, i) => (i % 3 === 0 && v > 0.999 ? [[Math.floor(i / 3 / S), (i / 3) % S]] : []));
  const r = new Rotation();
  const a = one(0, 2);
  r.apply(a, 0, S, 90);
  assert.deepEqual(lit(a), [[2, 4]]); // top centre -> right centre (clockwise on screen)
  const b = one(0, 2);
  r.apply(b, 0, S, -90);
  assert.deepEqual(lit(b), [[2, 0]]);
  const c = one(1, 3);
  r.apply(c, 0, S, 180);
  assert.deepEqual(lit(c), [[3, 1]]);
  const q = Float32Array.from({ length: S * S * 3 }, (_, i) => i);
  const full = q.slice();
  r.apply(full, 0, S, 360);
  for (let i = 0; i < q.length; i++) assert.ok(Math.abs(full[i]! - q[i]!) < 1e-4);
  for (const d of [-725, -90, -30, 0, 12.5, 45, 179, 270]) {
    const [cs, sn] = cosSin(d);
    assert.ok(Math.abs(cs - Math.cos((d * Math.PI) / 180)) < 1e-12 && Math.abs(sn - Math.sin((d * Math.PI) / 180)) < 1e-12, `cos/sin of ${d}°`);
  }

  // rotate = 0 draws no random number: crops equal the default pipeline's bit for bit.
  const img = syntheticSample(syntheticParams({ images: 4, size: 32 }), 1);
  const src = rgbImage(32, 32, img.pixels);
  const crop = (params: typeof SWAV_AUGMENT) => {
    const out = new Float32Array(16 * 16 * 3);
    new Augmenter(params).crop(src, 16, [0.3, 1], derive(7, 1, 2), out, 0);
    return out;
  };
  assert.deepEqual(crop({ ...SWAV_AUGMENT, rotate: 0 }), crop(SWAV_AUGMENT));
  const rotated = crop({ ...SWAV_AUGMENT, rotate: 180 });
  assert.deepEqual(rotated, crop({ ...SWAV_AUGMENT, rotate: 180 }), "rotation is deterministic in the seed");
  assert.notDeepEqual(rotated, crop(SWAV_AUGMENT));
});
