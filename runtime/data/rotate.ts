/**
 * Rotation of a square RGB float crop about its centre, in place: bilinear sampling, edges
 * replicated (the corners the rotation uncovers repeat the nearest border pixel). The sine and
 * cosine come from a rational parametrisation of the half angle (no Math.sin/cos), so a crop
 * is bit-identical on every machine, like the rest of the data pipeline.
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

/** cos and sin of an angle in degrees from tan(θ/2) by a few Taylor-free steps (exact arithmetic only). */
export function cosSin(degrees: number): [number, number] {
  // Reduce to [-90°, 90°] for the half-angle tangent, then use t = tan(θ/2).
  let d = degrees % 360;
  if (d > 180) d -= 360;
  if (d < -180) d += 360;
  const flip = d > 90 || d < -90;
  if (flip) d = d > 0 ? d - 180 : d + 180;
  const t = tanHalf((d * Math.PI) / 180);
  const c = (1 - t * t) / (1 + t * t), s = (2 * t) / (1 + t * t);
  return flip ? [-c, -s] : [c, s];
}

/** tan(x/2) for |x| <= π/2 by a continued fraction (Lambert), to float64 precision. */
function tanHalf(x: number): number {
  const h = x / 2, h2 = h * h;
  let f = 0;
  for (let k = 21; k >= 3; k -= 2) f = h2 / (k - f);
  return h / (1 - f);
}
