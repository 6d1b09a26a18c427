/**
 * Seeded parameter initialisation, computed in plain JS so every backend starts from the same
 * bits. Each parameter draws from its own stream, derived from (seed, parameter name), so adding
 * a parameter never changes the others.
 */

/** 32-bit FNV-1a hash of a string, mixed with a seed. */
function hash(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small, fast 32-bit generator; returns uniforms in [0, 1). */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` values uniform in [−bound, bound), from the stream of (seed, name). */
export function seededUniform(seed: number, name: string, size: number, bound: number): Float32Array {
  const next = mulberry32(hash(seed, name));
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * next() - 1) * bound;
  return out;
}
