/**
 * Bilinear resampling of a (fractional) box of an 8-bit RGB image to float RGB in [0, 1],
 * the way PIL's `resize(size, BILINEAR, box)` does it (and so torchvision's
 * RandomResizedCrop on PIL images): a separable triangle filter whose support widens
 * with the downscale factor (antialiasing), taps clamped to the image. Weight tables and
 * the intermediate buffer are kept between calls: no allocation per image once warm.
 */
import type { RgbImage } from "./image.js";

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  kmax: number;
}

const INV255 = 1 / 255;

export class Resampler {
  private tx: Taps = { start: new Int32Array(0), count: new Int32Array(0), weights: new Float32Array(0), kmax: 0 };
  private ty: Taps = { start: new Int32Array(0), count: new Int32Array(0), weights: new Float32Array(0), kmax: 0 };
  private tmp = new Float32Array(0);

  /** Weights for `out` samples over [x0, x0 + len) of an axis of `size` pixels. */
  private taps(t: Taps, size: number, x0: number, len: number, out: number): Taps {
    const scale = len / out;
    const fscale = Math.max(scale, 1);
    const support = fscale; // triangle filter: support 1, widened when downscaling
    const kmax = Math.ceil(support) * 2 + 1;
    if (t.start.length < out) {
      t.start = new Int32Array(out);
      t.count = new Int32Array(out);
    }
    if (t.weights.length < out * kmax) t.weights = new Float32Array(out * kmax);
    t.kmax = kmax;
    const inv = 1 / fscale;
    for (let i = 0; i < out; i++) {
      const center = x0 + (i + 0.5) * scale;
      let lo = Math.floor(center - support + 0.5);
      let hi = Math.floor(center + support + 0.5);
      if (lo < 0) lo = 0;
      if (hi > size) hi = size;
      if (hi - lo > kmax) hi = lo + kmax;
      let sum = 0;
      const base = i * kmax;
      for (let k = 0; k < hi - lo; k++) {
        const d = Math.abs((lo + k - center + 0.5) * inv);
        const w = d < 1 ? 1 - d : 0;
        t.weights[base + k] = w;
        sum += w;
      }
      if (sum === 0) {
        // Degenerate (a box thinner than a pixel at the border): nearest pixel.
        lo = Math.min(size - 1, Math.max(0, Math.floor(center)));
        hi = lo + 1;
        t.weights[base] = 1;
        sum = 1;
      }
      const n = 1 / sum;
      for (let k = 0; k < hi - lo; k++) t.weights[base + k]! *= n;
      t.start[i] = lo;
      t.count[i] = hi - lo;
    }
    return t;
  }

  /**
   * Resamples box (x0, y0, w, h) of `src` to outW×outH into `out` (float RGB HWC, values
   * 0..1) starting at `outOffset`.
   */
  resize(src: RgbImage, x0: number, y0: number, w: number, h: number, outW: number, outH: number, out: Float32Array, outOffset = 0): void {
    const tx = this.taps(this.tx, src.width, x0, w, outW);
    const ty = this.taps(this.ty, src.height, y0, h, outH);
    // Rows of the source that the vertical pass reads.
    let r0 = src.height, r1 = 0;
    for (let j = 0; j < outH; j++) {
      r0 = Math.min(r0, ty.start[j]!);
      r1 = Math.max(r1, ty.start[j]! + ty.count[j]!);
    }
    const rows = r1 - r0;
    const need = rows * outW * 3;
    if (this.tmp.length < need) this.tmp = new Float32Array(need);
    const tmp = this.tmp, data = src.data, sw = src.width;
    // Horizontal pass: source rows r0..r1 -> tmp (rows × outW × 3).
    for (let r = 0; r < rows; r++) {
      const srow = (r0 + r) * sw * 3;
      const trow = r * outW * 3;
      for (let i = 0; i < outW; i++) {
        const s = tx.start[i]!, c = tx.count[i]!, wb = i * tx.kmax;
        let a = 0, b = 0, g = 0;
        for (let k = 0, p = srow + s * 3; k < c; k++, p += 3) {
          const wk = tx.weights[wb + k]!;
          a += wk * data[p]!;
          g += wk * data[p + 1]!;
          b += wk * data[p + 2]!;
        }
        const o = trow + i * 3;
        tmp[o] = a;
        tmp[o + 1] = g;
        tmp[o + 2] = b;
      }
    }
    // Vertical pass: tmp -> out, scaled to 0..1.
    const rowLen = outW * 3;
    for (let j = 0; j < outH; j++) {
      const s = ty.start[j]! - r0, c = ty.count[j]!, wb = j * ty.kmax;
      const o = outOffset + j * rowLen;
      for (let x = 0; x < rowLen; x++) {
        let acc = 0;
        for (let k = 0, p = s * rowLen + x; k < c; k++, p += rowLen) acc += ty.weights[wb + k]! * tmp[p]!;
        const v = acc * INV255;
        out[o + x] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
}
