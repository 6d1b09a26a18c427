/**
 * Rotation of a square RGB float crop about its centre, in place: bilinear sampling, edges
 * replicated (the corners the rotation uncovers repeat the nearest border pixel).
 */

export class Rotation {
  private scratch = new Float32Array(0);

  /** Rotates the size×size×3 image at p[off] by `degrees` (clockwise as displayed, rows running down). */
  apply(p: Float32Array, off: number, size: number, degrees: number): void {
    if (degrees === 0) return;
    const [c, s] = cosSin(degrees);
    const n = size * size * 3;
    if (this.scratch.length < n) this.scratch = new Float32Array(n);
    const src = this.scratch;
    src.set(p.subarray(off, off + n));
    const mid = (size - 1) / 2, last = size - 1;
    for (let y = 0; y < size; y++) {
      const dy = y - mid;
      for (let x = 0; x < size; x++) {
        const dx = x - mid;
        // The source point that lands on (x, y).
        let sx = c * dx + s * dy + mid;
        let sy = -s * dx + c * dy + mid;
        sx = sx < 0 ? 0 : sx > last ? last : sx;
        sy = sy < 0 ? 0 : sy > last ? last : sy;
        const x0 = Math.floor(sx), y0 = Math.floor(sy);
        const x1 = x0 < last ? x0 + 1 : x0, y1 = y0 < last ? y0 + 1 : y0;
        const fx = sx - x0, fy = sy - y0;
        const a = (y0 * size + x0) * 3, b = (y0 * size + x1) * 3, d = (y1 * size + x0) * 3, e = (y1 * size + x1) * 3;
        const o = off + (y * size + x) * 3;
        for (let ch = 0; ch < 3; ch++) {
          const top = src[a + ch]! + (src[b + ch]! - src[a + ch]!) * fx;
          const bottom = src[d + ch]! + (src[e + ch]! - src[d + ch]!) * fx;
          p[o + ch] = top + (bottom - top) * fy;
        }
      }
    }
  }
}

/** cos and sin of an angle in degrees (V8's fdlibm ports: the same bits on every machine, as rng.ts relies on). */
export function cosSin(degrees: number): [number, number] {
  const r = (degrees * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}
