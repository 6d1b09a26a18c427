// Exact figures from shared/reference/regnet.md §2, §4 and §5 (generation, counting, traps).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PYCLS_RULES,
  TORCHVISION_RULES,
  blockWidths,
  complexity,
  expandStages,
  type CountingRules,
  type RegNetParams,
} from "../../../compiler/regnet/arith.js";
import { pyclsFigures, seerPreset, seerPresets } from "./helpers.js";

const HALF_UP: CountingRules = { ...PYCLS_RULES, ties: "half-up" };
const SE_FROM_BOTTLENECK: CountingRules = { ...PYCLS_RULES, seWidthFrom: "bottleneck" };

function widths(p: RegNetParams, rules: CountingRules = PYCLS_RULES): number[] {
  return expandStages(p, rules).stages.map((s) => s.width);
}
function before(p: RegNetParams): number[] {
  return expandStages(p).stages.map((s) => s.widthBeforeAdjust);
}
const params = (id: string, rules: CountingRules = PYCLS_RULES) => complexity(seerPreset(id), { rules }).params;

test("§2 worked example RegNetX-1.6GF: exponents, tie at 22.5, stages and groups", () => {
  const p = seerPreset("RegNetX_1_6GF");
  const { exponents, widths: perBlock } = blockWidths(p);
  assert.deepEqual(exponents, [0, 0, 1, 1, 1, 1, ...Array<number>(10).fill(2), 3, 3]);
  assert.equal((80 * 2.25) / 8, 22.5);
  assert.equal(perBlock[2], 176);
  const { stages } = expandStages(p);
  assert.deepEqual(stages.map((s) => s.widthBeforeAdjust), [80, 176, 408, 912]);
  assert.deepEqual(stages.map((s) => s.depth), [2, 4, 10, 2]);
  assert.deepEqual(stages.map((s) => s.width), [72, 168, 408, 912]);
  assert.deepEqual(stages.map((s) => s.groups), [3, 7, 17, 38]);
});

test("§2 the group width is capped at the bottleneck width (RegNetY-256GF stage 1: 848 → 640)", () => {
  const s1 = expandStages(seerPreset("RegNetY_256GF")).stages[0];
  assert.equal(s1?.widthBeforeAdjust, 640);
  assert.equal(s1?.groupWidth, 640);
  assert.equal(s1?.groups, 1);
});

test("§4 stem, head and RegNetX-200MF stage 1 breakdown", () => {
  const c = complexity(seerPreset("RegNetX_200MF"));
  assert.deepEqual(c.stem, { params: 928, flops: 10_838_016, acts: 401_408 });
  assert.deepEqual(c.head, { params: 1000 * 368 + 1000, flops: 1000 * 368 + 1000, acts: 1000 });
  assert.equal(816 + 816 + 1_776 + 624, 4_032);
  assert.deepEqual(c.stages[0], { params: 4_032, flops: 19_267_584, acts: 526_848 });
});

test("§4 GF figures that torchvision's _ops confirm (224 and 384 px)", () => {
  const gf = (id: string, inputSize: number, rules: CountingRules = PYCLS_RULES) =>
    Math.round(complexity(seerPreset(id), { inputSize, rules }).flops / 1e8) / 10;
  assert.equal(gf("RegNetY_128GF", 224), 127.5);
  assert.equal(gf("RegNetY_128GF", 384), 374.6);
  assert.equal(gf("RegNetY_16GF", 384), 46.7);
  assert.equal(gf("RegNetY_32GF", 384), 94.8);
  assert.equal(gf("RegNetY_8GF", 224, TORCHVISION_RULES), 8.5);
});

test("§5.1 torchvision's group rounding differs for exactly three presets", () => {
  assert.deepEqual(widths(seerPreset("RegNetX_400MF")), [32, 64, 160, 384]);
  assert.deepEqual(widths(seerPreset("RegNetX_400MF"), TORCHVISION_RULES), [32, 64, 160, 400]);
  assert.equal(params("RegNetX_400MF"), 5_157_512);
  assert.equal(params("RegNetX_400MF", TORCHVISION_RULES), 5_495_976);
  assert.deepEqual(widths(seerPreset("RegNetY_800MF")), [64, 128, 320, 768]);
  assert.deepEqual(widths(seerPreset("RegNetY_800MF"), TORCHVISION_RULES), [64, 144, 320, 784]);
  assert.equal(params("RegNetY_800MF"), 6_263_168);
  assert.equal(params("RegNetY_800MF", TORCHVISION_RULES), 6_432_512);
  assert.deepEqual(widths(seerPreset("RegNetY_8GF")), [168, 448, 896, 2016]);
  assert.deepEqual(widths(seerPreset("RegNetY_8GF"), TORCHVISION_RULES), [224, 448, 896, 2016]);
  assert.equal(params("RegNetY_8GF"), 39_180_068);
  assert.equal(params("RegNetY_8GF", TORCHVISION_RULES), 39_381_472);
  assert.equal(params("RegNetY_128GF"), 644_812_894);
  assert.equal(params("RegNetY_128GF", TORCHVISION_RULES), 644_812_894);
  const torchvision = ["400MF", "800MF", "1_6GF", "3_2GF", "8GF", "16GF", "32GF"].flatMap((s) => [`RegNetX_${s}`, `RegNetY_${s}`]);
  const differ = [...torchvision, "RegNetY_128GF"].filter((id) => params(id) !== params(id, TORCHVISION_RULES));
  assert.deepEqual(differ.sort(), ["RegNetX_400MF", "RegNetY_800MF", "RegNetY_8GF"]);
});

test("§5.2 ties: half-to-even versus half-up", () => {
  const x16 = seerPreset("RegNetX_1_6GF");
  assert.deepEqual(before(x16), [80, 176, 408, 912]);
  assert.deepEqual(expandStages(x16, HALF_UP).stages.map((s) => s.widthBeforeAdjust)[1], 184);
  assert.equal(widths(x16, HALF_UP)[1], 192);
  assert.equal(params("RegNetX_1_6GF", HALF_UP), 9_295_016);
  assert.deepEqual(before(seerPreset("RegNetX_400MF")), [24, 64, 152, 392]);
  assert.equal(widths(seerPreset("RegNetX_400MF"), HALF_UP)[3], 400);
  assert.equal(params("RegNetX_400MF", HALF_UP), 5_495_976);
  assert.deepEqual(before(seerPreset("RegNetY_800MF")), [56, 136, 320, 776]);
  assert.deepEqual(widths(seerPreset("RegNetY_800MF"), HALF_UP), [64, 144, 320, 784]);
  assert.equal(params("RegNetY_800MF", HALF_UP), 6_432_512);
});

test("§5.2 ties whose even neighbour is also the upper one", () => {
  const x8 = seerPreset("RegNetX_800MF");
  assert.deepEqual(before(x8), [56, 128, 288, 664]);
  assert.deepEqual(widths(x8), [64, 128, 288, 672]);
  assert.deepEqual(widths(x8, HALF_UP), widths(x8));
  for (const id of ["RegNetX_12GF", "RegNetY_12GF"]) {
    assert.equal(before(seerPreset(id))[0], 168);
    assert.equal(widths(seerPreset(id))[0], 224);
  }
  assert.equal(before(seerPreset("RegNetY_600MF"))[3], 600);
  assert.equal(widths(seerPreset("RegNetY_600MF"))[3], 608);
  const y4 = seerPreset("RegNetY_4GF");
  assert.deepEqual([before(y4)[0], before(y4)[2]], [96, 480]);
  assert.deepEqual([widths(y4)[0], widths(y4)[2]], [128, 512]);
});

test("§5.2 SEER-1.3B SE width tie: 0.25 × 746 = 186.5 → 186; half-up adds 4,478 params", () => {
  assert.equal(0.25 * 746, 186.5);
  const seer = seerPreset("SEER_1_3B");
  assert.deepEqual(widths(seer), widths(seer, HALF_UP));
  assert.equal(params("SEER_1_3B", HALF_UP) - params("SEER_1_3B"), 4_478);
});

test("§6 half-up rounding breaks exactly RegNetX-400MF, RegNetX-1.6GF and RegNetY-800MF", () => {
  const figures = pyclsFigures();
  const broken = seerPresets()
    .filter((p) => /^RegNet[XY]_/.test(p.identifier) && !/_(64|128|256)GF$/.test(p.identifier))
    .filter((p) => complexity(p.params, { rules: HALF_UP }).params !== complexity(p.params).params)
    .map((p) => p.identifier);
  assert.equal(Object.keys(figures).length, 24);
  assert.deepEqual(broken.sort(), ["RegNetX_1_6GF", "RegNetX_400MF", "RegNetY_800MF"]);
});

test("§5.3 SE width from the bottleneck width gives the wrong params, nearly the same flops", () => {
  const cases: [string, number, number][] = [
    ["RegNetY_200MF", 3_162_996, 3_210_920],
    ["RegNetY_800MF", 6_263_168, 6_471_224],
    ["RegNetY_3_2GF", 19_436_338, 20_264_996],
    ["RegNetY_16GF", 83_590_140, 86_855_016],
  ];
  for (const [id, right, wrong] of cases) {
    assert.equal(params(id), right, id);
    assert.equal(params(id, SE_FROM_BOTTLENECK), wrong, id);
    const f = complexity(seerPreset(id)).flops;
    const g = complexity(seerPreset(id), { rules: SE_FROM_BOTTLENECK }).flops;
    assert.ok(g > f && (g - f) / f < 0.0004, `${id} flops change ${(g - f) / f}`);
  }
});

test("§5.4 RegNetY-32GF with and without the 1000-class fc", () => {
  const c = complexity(seerPreset("RegNetY_32GF"));
  assert.equal(c.params, 145_046_770);
  assert.equal(c.trunkParams, 141_333_770);
  assert.equal(complexity(seerPreset("RegNetY_32GF"), { classes: 0 }).params, 141_333_770);
});
