// Deterministic parameter initialisation: every variable draws from its own stream, seeded by
// (seed, variable name), so adding or removing a layer (e.g. the head) leaves the others' values
// unchanged, and values do not depend on the backend or on creation order.

/** FNV-1a over the UTF-16 code units of `${seed}/${name}`, as an unsigned 32-bit integer. */
export function streamSeed(seed: number, name: string): number {
  const text = `${seed}/${name}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast counting PRNG): uniform floats in [0, 1). */
export function uniformStream(seed32: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed32 >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed in
  return next;
}

/** Draws between two yields of `normalValuesSteps` (about 10 ms of work). */
const DRAWS_PER_YIELD = 1 << 20;

/** n samples of N(0, std²) (Box-Muller). */
export function normalValues(n: number, std: number, seed: number, name: string): Float32Array {
  return drain(normalValuesSteps(n, std, seed, name));
}

/** `normalValues` as a generator that yields every million draws, so a long initialisation can stop in between (`drain` runs it through). */
export function* normalValuesSteps(n: number, std: number, seed: number, name: string): Generator<void, Float32Array, void> {
  const u = uniformStream(streamSeed(seed, name));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u())); // 1 - u in (0, 1]: log is finite
    const theta = 2 * Math.PI * u();
    out[i] = r * Math.cos(theta) * std;
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta) * std;
    if (i % DRAWS_PER_YIELD === DRAWS_PER_YIELD - 2) yield;
  }
  return out;
}

/** Runs a generator of work steps to its end, synchronously. */
export function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a generator of work steps to its end, letting the event loop in every 50 ms (so signal
 * handlers run) and stopping with an AbortError, thrown into the generator so it can clean up,
 * once `signal` is aborted.
 */
export async function drainAsync<T>(steps: Generator<void, T, void>, signal?: AbortSignal): Promise<T> {
  let last = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - last < 50) continue;
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
    if (signal?.aborted) steps.throw(Object.assign(new Error("cancelled while building the model"), { name: "AbortError" }));
  }
}

/** pycls's conv init: N(0, 2 / fan_out) with fan_out = kh·kw·out_channels (groups ignored). */
export function heNormalStd(kh: number, kw: number, outChannels: number): number {
  return Math.sqrt(2 / (kh * kw * outChannels));
}
