// The four presets of shared/reference/regnet-reference-figures.json, exact to the unit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { complexity, expandStages, withDefaults } from "../../../compiler/regnet/arith.js";
import { referencePresets, type ReferencePreset } from "./helpers.js";

function paramsOf(r: ReferencePreset) {
  return withDefaults({
    family: r.family,
    depth: r.depth,
    w0: r.w0,
    wa: r.wa,
    wm: r.wm,
    groupWidth: r.group_w,
    bottleneck: r.bot_mul,
    seRatio: r.se_ratio,
    stemWidth: r.stem_w,
  });
}

const presets = referencePresets();

test("the reference file has the four expected presets", () => {
  assert.deepEqual(
    presets.map((r) => r.name),
    ["RegNetX-200MF", "RegNetX-1.6GF", "RegNetY-800MF", "RegNetY-16GF"],
  );
});

for (const r of presets) {
  test(`${r.name}: stages match the reference`, () => {
    const { stages, problems } = expandStages(paramsOf(r));
    assert.deepEqual(problems, []);
    assert.deepEqual(stages.map((s) => s.depth), r.derived_stage_depths);
    assert.deepEqual(stages.map((s) => s.width), r.derived_stage_widths);
    assert.deepEqual(stages.map((s) => s.groupWidth), r.derived_stage_group_widths);
    assert.deepEqual(stages.map((s) => s.groups), r.derived_stage_num_groups);
    assert.deepEqual(stages.map((s) => s.widthBeforeAdjust), r.derived_stage_widths_before_group_adjust);
    assert.deepEqual(stages.map((s) => s.bottleneckWidth), r.derived_stage_widths);
    assert.ok(stages.every((s) => s.stride === 2));
    assert.equal(stages.reduce((n, s) => n + s.depth, 0), r.depth);
  });

  test(`${r.name}: params, flops and acts are exact`, () => {
    const c = complexity(paramsOf(r));
    assert.equal(c.params, r.params);
    assert.equal(c.flops, r.flops);
    assert.equal(c.acts, r.acts);
  });

  test(`${r.name}: the breakdown adds up`, () => {
    const c = complexity(paramsOf(r));
    const sum = (k: "params" | "flops" | "acts") => c.stem[k] + c.stages.reduce((n, s) => n + s[k], 0);
    assert.equal(c.trunkParams, sum("params"));
    assert.equal(c.trunkFlops, sum("flops"));
    assert.equal(c.trunkActs, sum("acts"));
    assert.equal(c.params, c.trunkParams + c.head.params);
    assert.equal(c.flops, c.trunkFlops + c.head.flops);
    assert.equal(c.acts, c.trunkActs + c.head.acts);
    const last = r.derived_stage_widths[r.derived_stage_widths.length - 1] ?? 0;
    assert.deepEqual(c.head, { params: 1000 * last + 1000, flops: 1000 * last + 1000, acts: 1000 });
  });
}
