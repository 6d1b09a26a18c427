// Grouped convolution (tfjs has no `groups` argument), built on conv.ts.
//
// Filter layout, whatever the method: [kh, kw, Ci/G, Co] (PyTorch's [Co, Ci/G, kh, kw] moved to
// HWIO). Output channels [g*Co/G, (g+1)*Co/G) read input channels [g*Ci/G, (g+1)*Ci/G).
//
// Methods (tfjs-runtime.md §7; all give the same result):
//   dense      G = 1: a plain conv.
//   blockdiag  one conv with the block-diagonal [kh,kw,Ci,Co] filter (G x the FLOPs, few ops);
//              the filter is built by a broadcast multiply with a G x G identity.
//   split      split x and the filter into G groups, G convs, concat.
//   im2col     patches of the taps that can read real input (taps reading only padding are
//              dropped, exactly), then one batched matMul [G, M, T*Ci/G]·[G, T*Ci/G, Co/G].
// The depthwise trick is not offered: wasm lacks the depthwise backprop kernels.
import { conv2d, convOutSize, type ConvOptions } from "./conv.js";
import { matMul } from "./matmul.js";
import type { Tensor3D, Tensor4D, Tf } from "./tf.js";

export type GroupedMethod = "dense" | "blockdiag" | "split" | "im2col";

export interface GroupedConvOptions extends ConvOptions {
  readonly groups: number;
  /** Default "auto": chooseGroupedMethod. */
  readonly method?: GroupedMethod | "auto";
}

/**
 * The per-layer choice measured fastest on wasm: block-diagonal for up to 3 groups,
 * split+concat while the output map has at least 2x2 positions, im2col below that.
 */
export function chooseGroupedMethod(groups: number, outH: number, outW: number): GroupedMethod {
  if (groups === 1) return "dense";
  if (groups <= 3) return "blockdiag";
  return outH * outW >= 4 ? "split" : "im2col";
}

export function groupedConv2d(tf: Tf, x: Tensor4D, w: Tensor4D, o: GroupedConvOptions): Tensor4D {
  const [kh, kw, cig, co] = w.shape;
  const g = o.groups;
  const ci = x.shape[3];
  if (!Number.isInteger(g) || g < 1 || ci !== cig * g || co % g !== 0) {
    throw new Error(`groupedConv2d: ${ci} -> ${co} channels with filter ${w.shape.join("x")} cannot form ${g} groups`);
  }
  const ho = convOutSize(x.shape[1], kh, o.stride, o.pad);
  const wo = convOutSize(x.shape[2], kw, o.stride, o.pad);
  const asked = o.method === undefined || o.method === "auto" ? chooseGroupedMethod(g, ho, wo) : o.method;
  const method = g === 1 ? "dense" : asked; // also: tf.split into 1 part has a broken gradient
  const conv: ConvOptions = { stride: o.stride, pad: o.pad, inputGrad: o.inputGrad ?? true };
  switch (method) {
    case "dense":
      if (g !== 1) throw new Error(`groupedConv2d: method 'dense' needs 1 group, got ${g}`);
      return conv2d(tf, x, w, conv);
    case "blockdiag":
      return conv2d(tf, x, blockDiagonal(tf, w, g), conv);
    case "split": {
      const xs: Tensor4D[] = tf.split(x, g, 3);
      const ws: Tensor4D[] = tf.split(w, g, 3);
      return tf.concat(xs.map((xg, i) => conv2d(tf, xg, ws[i] as Tensor4D, conv)), 3) as Tensor4D;
    }
    case "im2col":
      return im2col(tf, x, w, g, o.stride, o.pad, ho, wo);
  }
}

const identities = new Map<number, Float32Array>();

/** G x G identity values (cached on the JS side; the tensor is made per call, so nothing is kept). */
function identity(g: number): Float32Array {
  let m = identities.get(g);
  if (m === undefined) {
    m = new Float32Array(g * g);
    for (let i = 0; i < g; i++) m[i * g + i] = 1;
    identities.set(g, m);
  }
  return m;
}

/** [kh,kw,Ci/G,Co] -> [kh,kw,Ci,Co], zero outside the diagonal blocks. */
export function blockDiagonal(tf: Tf, w: Tensor4D, g: number): Tensor4D {
  const [kh, kw, cig, co] = w.shape;
  const cog = co / g;
  return tf.tidy(() => {
    const eye = tf.tensor5d(identity(g), [1, g, 1, g, 1]);
    const w5 = tf.reshape(w, [kh * kw, 1, cig, g, cog]);
    return tf.reshape(tf.mul(w5, eye), [kh, kw, g * cig, co]);
  });
}

/** Whether kernel offset r (0..k-1) reads at least one real (non-padding) input row. */
function tapReadsInput(r: number, pad: number, stride: number, size: number, outSize: number): boolean {
  for (let o = 0; o < outSize; o++) {
    const i = o * stride + r - pad;
    if (i >= 0 && i < size) return true;
  }
  return false;
}

function im2col(tf: Tf, x: Tensor4D, w: Tensor4D, g: number, s: number, pad: number, ho: number, wo: number): Tensor4D {
  const [n, h, wd] = x.shape;
  const [kh, kw, cig, co] = w.shape;
  const cog = co / g;
  const taps: [number, number][] = [];
  for (let r = 0; r < kh; r++) {
    if (!tapReadsInput(r, pad, s, h, ho)) continue;
    for (let c = 0; c < kw; c++) if (tapReadsInput(c, pad, s, wd, wo)) taps.push([r, c]);
  }
  const t = taps.length;
  const m = n * ho * wo;
  const patches = tapPatches(tf, x, taps, s, pad, ho, wo);
  const cat = patches.length === 1 ? (patches[0] as Tensor4D) : tf.concat(patches, 3); // concat, not stack (slow Unpack grad)
  const pg = tf.reshape(tf.transpose(tf.reshape(cat, [m, t, g, cig]), [2, 0, 1, 3]), [g, m, t * cig]) as Tensor3D;
  // Filter rows of the kept taps, per group: [kh*kw, cig, G, cog] -> [G, T*cig, cog].
  const w4 = tf.reshape(w, [kh * kw, cig, g, cog]);
  const kept = t === kh * kw ? w4 : tf.concat(taps.map(([r, c]) => tf.slice(w4, [r * kw + c, 0, 0, 0], [1, cig, g, cog])), 0);
  const wg = tf.reshape(tf.transpose(kept, [2, 0, 1, 3]), [g, t * cig, cog]) as Tensor3D;
  const y = matMul(tf, pg, wg); // [G, M, cog]
  return tf.reshape(tf.transpose(y, [1, 0, 2]), [n, ho, wo, co]);
}

/**
 * For each tap (r, c): the [N,Ho,Wo,C] input values it multiplies, i.e.
 * xpad[:, o*s + r, o'*s + c, :]. Uses only pad/slice/reshape (StridedSlice has no gradient).
 */
function tapPatches(tf: Tf, x: Tensor4D, taps: readonly [number, number][], s: number, pad: number, ho: number, wo: number): Tensor4D[] {
  const [n, h, w, c] = x.shape;
  if (ho === 1 && wo === 1) {
    // One output position: every kept tap reads one real pixel.
    return taps.map(([r, q]) => tf.slice(x, [0, r - pad, q - pad, 0], [n, 1, 1, c]));
  }
  if (s === 1 && taps.length === 1 && taps[0]?.[0] === pad && taps[0]?.[1] === pad && ho === h && wo === w) return [x];
  // Pad so that every tap's window fits, rounded up to a multiple of the stride.
  const kh = Math.max(...taps.map(([r]) => r)) + 1;
  const kw = Math.max(...taps.map(([, q]) => q)) + 1;
  const hh = ho + Math.ceil((kh - 1) / s);
  const wh = wo + Math.ceil((kw - 1) / s);
  const bottom = hh * s - h - pad;
  const right = wh * s - w - pad;
  let xp = x;
  if (pad > 0 || bottom > 0 || right > 0) xp = tf.pad(x, [[0, 0], [pad, Math.max(bottom, 0)], [pad, Math.max(right, 0)], [0, 0]]);
  if (bottom < 0 || right < 0) xp = tf.slice(xp, [0, 0, 0, 0], [n, hh * s, wh * s, c]);
  if (s === 1) return taps.map(([r, q]) => tf.slice(xp, [0, r, q, 0], [n, ho, wo, c]));
  // Stride s: split into s x s phases (space-to-depth with rank-4 slices; rank-6 slices are slow
  // on wasm), then each tap is a contiguous slice of one phase.
  const rows = tf.reshape(xp, [n, hh, s, wh * s * c]);
  const phases = new Map<string, Tensor4D>();
  const phase = (pr: number, pq: number): Tensor4D => {
    const key = `${pr},${pq}`;
    let p = phases.get(key);
    if (p === undefined) {
      const row = tf.reshape(tf.slice(rows, [0, 0, pr, 0], [n, hh, 1, wh * s * c]), [n, hh, wh, s * c]) as Tensor4D;
      p = tf.slice(row, [0, 0, 0, pq * c], [n, hh, wh, c]);
      phases.set(key, p);
    }
    return p;
  };
  return taps.map(([r, q]) => tf.slice(phase(r % s, q % s), [0, Math.floor(r / s), Math.floor(q / s), 0], [n, ho, wo, c]));
}

