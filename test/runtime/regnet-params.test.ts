// Built RegNets: parameter counts against regnet.md §4's closed form and pycls's published
// figures, names, deterministic initialisation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { planBlocks, type RegNetArch } from "../../runtime/tfjs/regnet-arch.js";
import { roundHalfEven } from "../../core/round.js";
import { buildRegNet } from "../../runtime/tfjs/regnet.js";
import { loadWasm } from "./tfjs-helpers.js";

const tf = await loadWasm();

function arch(family: "X" | "Y", depths: number[], widths: number[], gw: number, stemWidth = 32): RegNetArch {
  return {
    family,
    stemWidth,
    seRatio: family === "Y" ? 0.25 : null,
    stages: widths.map((width, i) => ({ depth: depths[i] ?? 1, width, groupWidth: gw, bottleneckWidth: width })),
  };
}

/** regnet.md §4, per block: [P](cin·c + 2c) + (cin·cb + 2cb) + (9·cb·g' + 2cb) + [Y](2·cb·e + e + cb) + (cb·c + 2c). */
function closedFormParams(a: RegNetArch, classes: number | null): number {
  let total = 3 * 9 * a.stemWidth + 2 * a.stemWidth;
  let cin = a.stemWidth;
  for (const s of a.stages) {
    for (let b = 0; b < s.depth; b++) {
      const c = s.width;
      const cb = s.bottleneckWidth;
      const proj = b === 0 ? cin * c + 2 * c : 0;
      const e = a.seRatio === null ? 0 : roundHalfEven(a.seRatio * cin);
      const se = a.seRatio === null ? 0 : 2 * cb * e + e + cb;
      total += proj + (cin * cb + 2 * cb) + (9 * cb * s.groupWidth + 2 * cb) + se + (cb * c + 2 * c);
      cin = c;
    }
  }
  return classes === null ? total : total + cin * classes + classes;
}

// Stage values from regnet-reference-figures.json / pycls configs; published counts at 1000 classes.
const presets: { name: string; arch: RegNetArch; published?: number }[] = [
  { name: "RegNetX-200MF", arch: arch("X", [1, 1, 4, 7], [24, 56, 152, 368], 8), published: 2_684_792 },
  { name: "RegNetY-200MF", arch: arch("Y", [1, 1, 4, 7], [24, 56, 152, 368], 8), published: 3_162_996 },
  { name: "RegNetX-400MF", arch: arch("X", [1, 2, 7, 12], [32, 64, 160, 384], 16), published: 5_157_512 },
  { name: "RegNetY-400MF", arch: arch("Y", [1, 3, 6, 6], [48, 104, 208, 440], 8), published: 4_344_144 },
  { name: "RegNetY-800MF", arch: arch("Y", [1, 3, 8, 2], [64, 128, 320, 768], 16), published: 6_263_168 },
  { name: "RegNetX-1.6GF", arch: arch("X", [2, 4, 10, 2], [72, 168, 408, 912], 24), published: 9_190_136 },
  { name: "baseline RegNetY (stem 24)", arch: arch("Y", [1, 1, 4, 7], [24, 56, 152, 368], 8, 24) },
];

test("built parameter counts equal the closed form and pycls's published figures", () => {
  for (const p of presets) {
    for (const classes of [1000, null]) {
      const net = buildRegNet(tf, p.arch, { seed: 0, ...(classes === null ? {} : { head: { classes } }) });
      try {
        const label = `${p.name} ${classes === null ? "trunk" : "with fc"}`;
        assert.equal(net.paramCount(), closedFormParams(p.arch, classes), label);
        if (classes !== null && p.published !== undefined) assert.equal(net.paramCount(), p.published, `${label} vs pycls`);
      } finally {
        net.dispose();
      }
    }
  }
});

test("the SE width rounds half to even from the block input width", () => {
  assert.equal(roundHalfEven(186.5), 186);
  assert.equal(roundHalfEven(187.5), 188);
  assert.equal(roundHalfEven(2.4999), 2);
  const blocks = planBlocks({ family: "Y", stemWidth: 746, seRatio: 0.25, stages: [{ depth: 2, width: 1492, groupWidth: 373, bottleneckWidth: 1492 }] });
  assert.deepEqual(blocks.map((b) => b.seWidth), [186, 373]);
  assert.deepEqual(blocks.map((b) => b.projection), [true, false]);
});

test("variables carry pycls names, BN running statistics are untrained buffers, and dispose frees everything", () => {
  const before = tf.memory().numTensors;
  const net = buildRegNet(tf, arch("Y", [1, 2], [16, 32], 8, 8), { seed: 3, head: { classes: 5 } });
  const names = net.variables.map((v) => v.name);
  assert.equal(new Set(names).size, names.length, "names are unique");
  for (const n of ["stem.conv.weight", "stem.bn.running_var", "s1.b1.proj.weight", "s1.b1.bn.weight", "s1.b1.f.b.weight", "s1.b1.f.se.f_ex.0.bias", "s2.b2.f.c_bn.bias", "head.fc.weight", "head.fc.bias"]) {
    assert.ok(names.includes(n), `has ${n}`);
  }
  assert.ok(!names.includes("s2.b2.proj.weight"), "identity shortcut has no projection");
  const byName = new Map(net.variables.map((v) => [v.name, v]));
  assert.deepEqual(byName.get("s1.b1.f.b.weight")?.variable.shape, [3, 3, 8, 16]);
  assert.deepEqual(byName.get("s1.b1.f.se.f_ex.0.weight")?.variable.shape, [1, 1, 16, 2]);
  assert.equal(byName.get("stem.bn.running_mean")?.trainable, false);
  assert.equal(net.trainableVariables().length, net.variables.filter((v) => !v.name.includes("running")).length);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("initialisation is deterministic in the seed and independent of the head", () => {
  const a = arch("Y", [1, 1], [16, 24], 8, 8);
  const values = (seed: number, head: boolean): Map<string, number[]> => {
    const net = buildRegNet(tf, a, { seed, ...(head ? { head: { classes: 3 } } : {}) });
    const m = new Map(net.variables.map((v) => [v.name, Array.from(v.variable.dataSync())]));
    net.dispose();
    return m;
  };
  const a1 = values(7, false);
  const a2 = values(7, true);
  const b = values(8, false);
  assert.deepEqual(a1.get("s2.b1.f.b.weight"), a2.get("s2.b1.f.b.weight"));
  assert.notDeepEqual(a1.get("s2.b1.f.b.weight"), b.get("s2.b1.f.b.weight"));
  assert.deepEqual(a1.get("s1.b1.f.a_bn.weight"), new Array(16).fill(1));
  // He/Kaiming normal as pycls: std = sqrt(2 / (k·k·c_out)).
  const w = a1.get("s2.b1.f.b.weight") ?? [];
  const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
  assert.ok(Math.abs(std - Math.sqrt(2 / (9 * 24))) < 0.01, `std ${std}`);
});

test("invalid architectures are rejected before anything is allocated", () => {
  const before = tf.memory().numTensors;
  assert.throws(() => buildRegNet(tf, arch("X", [1], [20], 8), { seed: 0 }), /not a multiple of group width/);
  assert.throws(() => buildRegNet(tf, { ...arch("X", [1], [16], 8), seRatio: 0.25 }, { seed: 0 }), /family X/);
  assert.throws(() => buildRegNet(tf, arch("Y", [1], [16], 8), { seed: 0, head: { classes: 0 } }), /class count/);
  assert.equal(tf.memory().numTensors, before);
});

test("zero_init_residual starts every block's final BN scale at 0, so each block begins as its shortcut", () => {
  const a = arch("Y", [1, 2], [16, 32], 8);
  const off = buildRegNet(tf, a, { seed: 3 });
  const on = buildRegNet(tf, { ...a, zeroInitResidual: true }, { seed: 3 });
  const gammas = (net: typeof on) => net.variables.filter((v) => /\.c_bn\.weight$/.test(v.name)).map((v) => [...(v.variable.dataSync() as Float32Array)]);
  assert.equal(gammas(on).length, 3);
  for (const g of gammas(on)) assert.ok(g.every((x) => x === 0));
  for (const g of gammas(off)) assert.ok(g.every((x) => x === 1));
  // Everything else is initialised exactly as without the option.
  const others = (net: typeof on) => net.variables.filter((v) => !/\.c_bn\.weight$/.test(v.name)).map((v) => [...(v.variable.dataSync() as Float32Array)]);
  assert.deepEqual(others(on), others(off));
  off.dispose();
  on.dispose();
});
