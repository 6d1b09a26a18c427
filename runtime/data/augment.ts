/**
 * SwAV multi-crop augmentation (swav's `MultiCropDataset` / VISSL's SwAV transforms) on
 * 8-bit RGB images, producing normalised float32 HWC crops:
 *   RandomResizedCrop(size, scale, ratio 3/4..4/3; 10 attempts, then centre crop; bilinear)
 *   → horizontal flip p=0.5 → colour jitter p=0.8 (brightness, contrast, saturation 0.8·s,
 *   hue 0.2·s, s = 1, in random order) → grayscale p=0.2 → Gaussian blur p=0.5 with
 *   σ ~ U[0.1, 2.0] → normalise (mean 0.485/0.456/0.406, std 0.229/0.224/0.225).
 * Plus the evaluation transform (resize shorter side, centre crop, normalise). All
 * randomness comes from the Rng passed in; buffers are reused across calls.
 */
import { Rotation } from "./rotate.js";
import { Blur, adjustBrightness, adjustContrast, adjustHue, adjustSaturation, toGrayscale } from "./colour.js";
import type { RgbImage } from "./image.js";
import { Resampler } from "./resize.js";
import type { Rng } from "./rng.js";

/** One multi-crop group: `count` crops of `size`×`size` px covering `scale` of the area. */
export interface CropSpec {
  readonly count: number;
  readonly size: number;
  readonly scale: readonly [number, number];
}

export interface AugmentParams {
  readonly ratio: readonly [number, number];
  readonly flip: number;
  /** Largest rotation in degrees either way (uniform); 0 draws nothing (the RNG stream is SwAV's). */
  readonly rotate: number;
  /** Probability of colour jitter, and its strength s (brightness/contrast/saturation 0.8·s, hue 0.2·s). */
  readonly jitter: number;
  readonly strength: number;
  readonly grayscale: number;
  readonly blur: number;
  readonly blurSigma: readonly [number, number];
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** SwAV's pretraining augmentations (VISSL's normalisation constants). */
export const SWAV_AUGMENT: AugmentParams = {
  ratio: [3 / 4, 4 / 3], flip: 0.5, rotate: 0, jitter: 0.8, strength: 1, grayscale: 0.2, blur: 0.5, blurSigma: [0.1, 2], mean: IMAGENET_MEAN, std: IMAGENET_STD,
};

/** Linear-probe training augmentations: RandomResizedCrop and flip only. */
export const PROBE_AUGMENT: AugmentParams = { ...SWAV_AUGMENT, jitter: 0, grayscale: 0, blur: 0 };

/** A crop box in source pixels. */
export interface CropBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** torchvision's RandomResizedCrop.get_params. */
export function randomResizedCropBox(width: number, height: number, scale: readonly [number, number], ratio: readonly [number, number], rng: Rng): CropBox {
  const area = width * height;
  const logLo = Math.log(ratio[0]), logHi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logLo, logHi));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return { x: rng.int(0, width - w + 1), y: rng.int(0, height - h + 1), w, h };
    }
  }
  const inRatio = width / height;
  let w = width, h = height;
  if (inRatio < ratio[0]) h = Math.round(w / ratio[0]);
  else if (inRatio > ratio[1]) w = Math.round(h * ratio[1]);
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), w, h };
}

/** How many crops each image yields. */
export const cropsPerImage = (crops: readonly CropSpec[]): number => crops.reduce((n, c) => n + c.count, 0);

export class Augmenter {
  private readonly resampler = new Resampler();
  private readonly blurOp = new Blur();
  private readonly rotateOp = new Rotation();
  private readonly order = new Int8Array(4);
  private readonly invStd: readonly [number, number, number];

  constructor(readonly params: AugmentParams = SWAV_AUGMENT) {
    this.invStd = [1 / params.std[0], 1 / params.std[1], 1 / params.std[2]];
  }

  /**
   * One augmented crop of `src`: size×size×3 normalised floats written at out[offset].
   * Returns the crop box (source pixels) for inspection.
   */
  crop(src: RgbImage, size: number, scale: readonly [number, number], rng: Rng, out: Float32Array, offset: number): CropBox {
    const p = this.params;
    const box = randomResizedCropBox(src.width, src.height, scale, p.ratio, rng);
    this.resampler.resize(src, box.x, box.y, box.w, box.h, size, size, out, offset);
    const n = size * size;
    if (rng.bernoulli(p.flip)) flipHorizontal(out, offset, size, size);
    if (p.rotate > 0) this.rotateOp.apply(out, offset, size, rng.uniform(-p.rotate, p.rotate));
    if (rng.bernoulli(p.jitter)) this.jitter(out, offset, n, rng);
    if (rng.bernoulli(p.grayscale)) toGrayscale(out, offset, n);
    if (rng.bernoulli(p.blur)) this.blurOp.apply(out, offset, size, size, rng.uniform(p.blurSigma[0], p.blurSigma[1]));
    this.normalise(out, offset, n);
    return box;
  }

  /** torchvision ColorJitter: all four factors drawn first, then applied in a random order. */
  private jitter(out: Float32Array, offset: number, n: number, rng: Rng): void {
    const s = this.params.strength;
    const bcs = 0.8 * s, hue = Math.min(0.5, 0.2 * s);
    const b = rng.uniform(Math.max(0, 1 - bcs), 1 + bcs);
    const c = rng.uniform(Math.max(0, 1 - bcs), 1 + bcs);
    const sat = rng.uniform(Math.max(0, 1 - bcs), 1 + bcs);
    const h = rng.uniform(-hue, hue);
    const order = this.order;
    for (let i = 0; i < 4; i++) order[i] = i;
    rng.shuffle(order);
    for (let i = 0; i < 4; i++) {
      switch (order[i]) {
        case 0: adjustBrightness(out, offset, n, b); break;
        case 1: adjustContrast(out, offset, n, c); break;
        case 2: adjustSaturation(out, offset, n, sat); break;
        default: adjustHue(out, offset, n, h);
      }
    }
  }

  /**
   * Evaluation transform: resize so the shorter side is round(size·resizeRatio), take the
   * centre size×size, normalise (`resizeRatio` 256/224 as in torchvision evaluation; 1 =
   * the largest centred square).
   */
  evalCrop(src: RgbImage, size: number, out: Float32Array, offset: number, resizeRatio = 256 / 224): CropBox {
    const shorter = Math.min(src.width, src.height);
    const side = Math.min(shorter, (shorter * size) / Math.round(size * resizeRatio));
    const box = { x: (src.width - side) / 2, y: (src.height - side) / 2, w: side, h: side };
    this.resampler.resize(src, box.x, box.y, box.w, box.h, size, size, out, offset);
    this.normalise(out, offset, size * size);
    return box;
  }

  private normalise(out: Float32Array, offset: number, n: number): void {
    const [m0, m1, m2] = this.params.mean;
    const [i0, i1, i2] = this.invStd;
    for (let i = offset, e = offset + n * 3; i < e; i += 3) {
      out[i] = (out[i]! - m0) * i0;
      out[i + 1] = (out[i + 1]! - m1) * i1;
      out[i + 2] = (out[i + 2]! - m2) * i2;
    }
  }
}

/** Mirrors an RGB float image left-right in place. */
export function flipHorizontal(p: Float32Array, off: number, w: number, h: number): void {
  for (let y = 0; y < h; y++) {
    const row = off + y * w * 3;
    for (let a = 0, b = w - 1; a < b; a++, b--) {
      for (let c = 0; c < 3; c++) {
        const i = row + a * 3 + c, j = row + b * 3 + c;
        const t = p[i]!;
        p[i] = p[j]!;
        p[j] = t;
      }
    }
  }
}
