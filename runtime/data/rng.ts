/**
 * A small, fast, seedable PRNG: xoshiro128** (Blackman & Vigna) on four 32-bit words,
 * seeded through a 4-lane integer hash so that `derive(seed, epoch, image, crop)` gives
 * an independent stream per key tuple. Only 32-bit integer ops and exact float64
 * arithmetic are used for the integer and uniform draws, so streams are bit-identical
 * on every machine; `normal` uses Math.log/Math.cos (V8's fdlibm ports, also portable).
 */

/** Serialisable state of a stream (plain JSON, for checkpoints). */
export interface RngState {
  readonly algo: "xoshiro128**";
  readonly s: readonly [number, number, number, number];
}

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
/** Initial values of the four hash lanes (arbitrary odd constants). */
const LANES = [0x9e3779b9, 0x7f4a7c15, 0x85ebca6b, 0xc2b2ae35] as const;

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** murmur3's finaliser: a bijective avalanche mix of a 32-bit word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function absorb(h: number, w: number): number {
  h ^= Math.imul(w, 0xcc9e2d51);
  h = rotl(h, 15);
  h = Math.imul(h, 0x1b873593);
  return (Math.imul(rotl(h, 13), 5) + 0xe6546b64) >>> 0;
}

function checkInt(x: number): void {
  if (!Number.isSafeInteger(x)) throw new RangeError(`rng: keys must be safe integers, got ${x}`);
}

/** Splits a safe integer into its low and high 32-bit words. */
function words(x: number): [number, number] {
  checkInt(x);
  return [x >>> 0, Math.floor(x / TWO_POW_32) >>> 0];
}

/** A 32-bit hash of a tuple of safe integers (for split assignment and cache keys). */
export function hashInts(...keys: number[]): number {
  let h: number = LANES[0];
  for (const k of keys) {
    const [lo, hi] = words(k);
    h = absorb(absorb(h, lo), hi);
  }
  return fmix32(h ^ keys.length);
}

/** A 32-bit hash of a string (UTF-16 code units), mixed with integer keys. */
export function hashString(s: string, ...keys: number[]): number {
  let h: number = LANES[1];
  for (let i = 0; i < s.length; i++) h = absorb(h, s.charCodeAt(i));
  h = fmix32(h ^ s.length);
  return hashInts(h, ...keys);
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: RngState) {
    if (state.algo !== "xoshiro128**" || state.s.length !== 4) throw new TypeError("rng: not an xoshiro128** state");
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((w) => w >>> 0) as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A stream from one seed (same as `derive(seed)`). */
  static seeded(seed: number): Rng {
    return derive(seed);
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [lo, hi) with 32 bits of resolution. */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * (this.nextU32() * INV_TWO_POW_32);
  }

  /** Uniform integer in [lo, hi) (hi - lo <= 2^32). */
  int(lo: number, hi: number): number {
    const n = hi - lo;
    if (!(n >= 1) || n > TWO_POW_32) throw new RangeError(`rng.int: empty or too large range [${lo}, ${hi})`);
    return lo + Math.floor(this.nextU32() * INV_TWO_POW_32 * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.nextU32() * INV_TWO_POW_32 < p;
  }

  /** Gaussian sample (Box-Muller, no cached spare so the state stays four words). */
  normal(mean = 0, std = 1): number {
    const u1 = (this.nextU32() + 1) * INV_TWO_POW_32; // (0, 1]
    const u2 = this.nextU32() * INV_TWO_POW_32;
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Fisher-Yates shuffle in place; returns its argument. */
  shuffle<A extends { length: number; [i: number]: unknown }>(a: A): A {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.nextU32() * INV_TWO_POW_32 * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A seeded permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** The state, as plain JSON. */
  state(): RngState {
    return { algo: "xoshiro128**", s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] };
  }

  clone(): Rng {
    return new Rng(this.state());
  }
}

/**
 * An independent stream for a tuple of safe integers, e.g. (run seed, epoch, image, crop).
 * Each of the four state words is its own hash lane over the whole tuple (128 bits in
 * all), so distinct tuples give unrelated streams.
 */
export function derive(seed: number, ...keys: number[]): Rng {
  const lanes: [number, number, number, number] = [LANES[0], LANES[1], LANES[2], LANES[3]];
  const all = [seed, ...keys];
  for (let l = 0; l < 4; l++) {
    let h = lanes[l]!;
    for (const k of all) {
      const [lo, hi] = words(k);
      h = absorb(absorb(h, lo), hi);
    }
    lanes[l] = fmix32(h ^ Math.imul(all.length, 0x27d4eb2f) ^ l);
  }
  const rng = new Rng({ algo: "xoshiro128**", s: lanes });
  // Discard a few outputs so that nearby lane values decorrelate fully.
  for (let i = 0; i < 4; i++) rng.nextU32();
  return rng;
}
