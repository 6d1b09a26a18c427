// Cross-checks the layer-by-layer counter against regnet.md §4's closed form per block,
// and checks §2's claim about how far non-tie rounding arguments lie from a .5 boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { complexity, expandStages, type RegNetParams } from "../../../compiler/regnet/arith.js";
import { seerPresets } from "./helpers.js";

const presets = seerPresets();

/** regnet.md §4's closed form, summed over the blocks of every stage (224 px, 1000 classes). */
function closedForm(p: RegNetParams): { params: number; flops: number; acts: number } {
  let params = 928;
  let flops = 10_838_016;
  let acts = 401_408;
  let cin = 32;
  let h = 112;
  for (const s of expandStages(p).stages) {
    for (let i = 0; i < s.depth; i++) {
      const proj = i === 0 ? 1 : 0;
      const hOut = i === 0 ? Math.ceil(h / 2) : h;
      const [c, cb, g] = [s.width, s.bottleneckWidth, s.groupWidth];
      const isY = p.seRatio !== null ? 1 : 0;
      const q = cin / 4; // SE width: 0.25 of the block input width, ties to even
      const even = q % 1 === 0.5 ? Math.floor(q) + (Math.floor(q) % 2) : Math.round(q);
      params += proj * (cin * c + 2 * c) + (cin * cb + 2 * cb) + (9 * cb * g + 2 * cb) + isY * (2 * cb * even + even + cb) + (cb * c + 2 * c);
      flops += proj * cin * c * hOut ** 2 + cin * cb * h ** 2 + 9 * cb * g * hOut ** 2 + isY * (2 * cb * even + even + cb) + cb * c * hOut ** 2;
      acts += proj * c * hOut ** 2 + cb * h ** 2 + cb * hOut ** 2 + isY * (even + cb) + c * hOut ** 2;
      cin = c;
      h = hOut;
    }
  }
  return { params: params + 1000 * cin + 1000, flops: flops + 1000 * cin + 1000, acts: acts + 1000 };
}

for (const p of presets) {
  test(`${p.identifier}: counter equals the closed form`, () => {
    const c = complexity(p.params);
    assert.deepEqual({ params: c.params, flops: c.flops, acts: c.acts }, closedForm(p.params));
  });
}

test("§2: non-tie rounding arguments lie at least 0.00248 (3 s.f.) from a .5 boundary", () => {
  let smallest = Infinity;
  const consider = (arg: number) => {
    const distance = Math.abs((arg - Math.floor(arg)) - 0.5);
    if (distance !== 0) smallest = Math.min(smallest, distance);
  };
  for (const { params: p } of presets) {
    const logWm = Math.log(p.wm);
    for (let j = 0; j < p.depth; j++) {
      const k = Math.log((j * p.wa + p.w0) / p.w0) / logWm;
      consider(k);
      consider((p.w0 * p.wm ** Math.round(k)) / 8);
    }
    let cin = p.stemWidth;
    for (const s of expandStages(p).stages) {
      consider(s.widthBeforeAdjust / s.groupWidth);
      if (p.seRatio !== null) consider(p.seRatio * cin);
      cin = s.width;
    }
  }
  // regnet.md quotes the margin to three significant digits: 0.0024787 → 0.00248.
  assert.equal(smallest.toFixed(5), "0.00248");
});
