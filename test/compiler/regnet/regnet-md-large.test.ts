// Exact figures from shared/reference/regnet.md §5.5 and §6 (the large models and SEER).
import { test } from "node:test";
import assert from "node:assert/strict";
import { complexity, countStages, expandStages, type RegNetParams, type StageInfo } from "../../../compiler/regnet/arith.js";
import { seerPreset, y } from "./helpers.js";

interface Row {
  name: string;
  p: RegNetParams;
  depths: number[];
  widths: number[];
  params: number;
  trunk: number;
  gf: number;
}

const OLD_64GF = y(20, 368, 102.79, 2.05, 496);

const table: Row[] = [
  { name: "RegNetY-64GF", p: seerPreset("RegNetY_64GF"), depths: [2, 5, 12, 1], widths: [328, 984, 1968, 4920], params: 281_378_786, trunk: 276_457_786, gf: 64.1 },
  { name: "RegNetY-64GF-old", p: OLD_64GF, depths: [2, 5, 11, 2], widths: [368, 992, 1488, 2976], params: 242_974_996, trunk: 239_997_996, gf: 63.4 },
  { name: "RegNetY-128GF", p: seerPreset("RegNetY_128GF"), depths: [2, 7, 17, 1], widths: [528, 1056, 2904, 7392], params: 644_812_894, trunk: 637_419_894, gf: 127.5 },
  { name: "RegNetY-256GF", p: seerPreset("RegNetY_256GF"), depths: [3, 7, 16, 1], widths: [640, 1696, 2544, 5088], params: 826_140_008, trunk: 821_051_008, gf: 256.9 },
  { name: "SEER-1.3B", p: seerPreset("SEER_1_3B"), depths: [2, 7, 17, 1], widths: [746, 1492, 4103, 10444], params: 1_282_601_138, trunk: 1_272_156_138, gf: 254.4 },
  { name: "SEER-10B", p: seerPreset("SEER_10B"), depths: [2, 7, 17, 1], widths: [2020, 4040, 11110, 28280], params: 9_352_215_872, trunk: 9_323_934_872, gf: 1863.3 },
];

for (const row of table) {
  test(`§6 ${row.name}: depths, widths, params with and without fc, GF at 224`, () => {
    const { stages, problems } = expandStages(row.p);
    assert.deepEqual(problems, []);
    assert.deepEqual(stages.map((s) => s.depth), row.depths);
    assert.deepEqual(stages.map((s) => s.width), row.widths);
    const c = complexity(row.p);
    assert.equal(c.params, row.params);
    assert.equal(c.trunkParams, row.trunk);
    assert.equal(Math.round(c.flops / 1e8) / 10, row.gf);
  });
}

test("§5.5 rounded figures: RegNetY-256GF 826.1M / 821.1M, SEER-1.3B 1.272B trunk, SEER-10B 9.324B trunk ≈ 9.35e9 with fc", () => {
  const m = (n: number) => Math.round(n / 1e5) / 10;
  const b = (n: number, digits: number) => Number((n / 1e9).toFixed(digits));
  const big = complexity(seerPreset("RegNetY_256GF"));
  assert.equal(m(big.params), 826.1);
  assert.equal(m(big.trunkParams), 821.1);
  assert.equal(b(complexity(seerPreset("SEER_1_3B")).trunkParams, 3), 1.272);
  const ten = complexity(seerPreset("SEER_10B"));
  assert.equal(b(ten.trunkParams, 3), 9.324);
  assert.equal(b(ten.params, 2), 9.35);
  assert.equal(Math.round(ten.flops / 1e9), 1863);
});

test("§5.5 RegNetY-256GF group widths [640, 848, 848, 848]", () => {
  assert.deepEqual(expandStages(seerPreset("RegNetY_256GF")).stages.map((s) => s.groupWidth), [640, 848, 848, 848]);
});

test("§5.5 SEER-1.3B widths are multiples of 373, not of 8", () => {
  const ws = expandStages(seerPreset("SEER_1_3B")).stages.map((s) => s.width);
  assert.ok(ws.every((w) => w % 373 === 0));
  assert.ok(ws.some((w) => w % 8 !== 0));
});

test("§5.5 the two RegNetY-64GF definitions end at 4920 and 2976", () => {
  assert.equal(expandStages(seerPreset("RegNetY_64GF")).stages.at(-1)?.width, 4920);
  assert.equal(expandStages(OLD_64GF).stages.at(-1)?.width, 2976);
});

test("§5.5 the paper's RegNetY-256GF widths are RegNetY-128GF's (637.4M trunk)", () => {
  assert.deepEqual(expandStages(seerPreset("RegNetY_128GF")).stages.map((s) => s.width), [528, 1056, 2904, 7392]);
  assert.equal(Math.round(complexity(seerPreset("RegNetY_128GF")).trunkParams / 1e5) / 10, 637.4);
});

test("§5.5 SEER README column: trunk + projection MLP [w, w, 256] for 32GF, old 64GF and 128GF", () => {
  const mlp = (w: number) => w * w + w + w * 256 + 256;
  const check = (p: RegNetParams, trunkM: number, mlpM: number, totalM: number) => {
    const c = complexity(p);
    const last = expandStages(p).stages.at(-1)?.width ?? 0;
    const m2 = (n: number) => Math.round(n / 1e4) / 100;
    assert.equal(m2(c.trunkParams), trunkM);
    assert.equal(m2(mlp(last)), mlpM);
    assert.equal(Math.round((c.trunkParams + mlp(last)) / 1e4) / 100, totalM);
  };
  check(seerPreset("RegNetY_32GF"), 141.33, 14.73, 156.07);
  check(OLD_64GF, 240.0, 9.62, 249.62);
  assert.equal(Math.round((complexity(OLD_64GF).trunkParams + mlp(2976)) / 1e5) / 10, 249.6);
  check(seerPreset("RegNetY_128GF"), 637.42, 56.54, 693.96);
});

function anyNet(depths: number[], widths: number[], g: number): StageInfo[] {
  return depths.map((depth, i) => {
    const width = widths[i] ?? 0;
    return { depth, width, groupWidth: g, groups: width / g, bottleneckWidth: width, widthBeforeAdjust: width, stride: 2 };
  });
}

test("§5.5 VISSL's AnyNet '3B' is 3.10B trunk params; its '10B version' comment gives 9.99B", () => {
  const widths = [1840, 3680, 10120, 25760];
  const net = { stemWidth: 32, seRatio: 0.25 };
  const three = countStages(anyNet([1, 4, 4, 1], widths, 920), net, { classes: 0 });
  const ten = countStages(anyNet([3, 10, 23, 1], widths, 920), net, { classes: 0 });
  assert.equal(Number((three.params / 1e9).toFixed(2)), 3.1);
  assert.equal(Number((ten.params / 1e9).toFixed(2)), 9.99);
});
