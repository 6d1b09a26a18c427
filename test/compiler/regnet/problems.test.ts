// Parameter and expansion problems are listed, never thrown, by `expandStages`.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RegNetParamsError,
  complexity,
  expandStages,
  memoryEstimate,
  tapShapes,
  withDefaults,
  type RegNetParams,
  type RegNetProblem,
} from "../../../compiler/regnet/arith.js";

const BASE = withDefaults({ family: "X", depth: 13, w0: 24, wa: 36.44, wm: 2.49, groupWidth: 8 });
const BASE_Y = withDefaults({ family: "Y", depth: 13, w0: 24, wa: 36.44, wm: 2.49, groupWidth: 8 });
const SMALL = withDefaults({ family: "X", depth: 4, w0: 8, wa: 8, wm: 2, groupWidth: 8 });

function rules(p: RegNetParams): string[] {
  return expandStages(p).problems.map((x) => `${x.field}:${x.rule}`);
}

const cases: [string, RegNetParams, string[], boolean][] = [
  // [what, params, expected field:rule list, stages expected?]
  ["w0 not a multiple of 8", { ...BASE, w0: 12 }, ["w0:w0-multiple-of-8"], true],
  ["w0 zero", { ...BASE, w0: 0 }, ["w0:w0-multiple-of-8"], false],
  ["w0 negative", { ...BASE, w0: -8 }, ["w0:w0-multiple-of-8"], false],
  ["w0 so small a stage quantises to width 0", { ...SMALL, w0: 4 }, ["w0:w0-multiple-of-8", "w0:stage-width-positive"], true],
  ["wa negative", { ...BASE, wa: -1 }, ["wa:wa-non-negative"], false],
  ["wm equal to 1", { ...BASE, wm: 1 }, ["wm:wm-greater-than-one"], false],
  ["wm below 1", { ...BASE, wm: 0.5 }, ["wm:wm-greater-than-one"], false],
  ["depth zero", { ...BASE, depth: 0 }, ["depth:depth-positive-integer"], false],
  ["depth fractional", { ...BASE, depth: 2.5 }, ["depth:depth-positive-integer"], false],
  ["group width zero", { ...BASE, groupWidth: 0 }, ["groupWidth:group-width-positive-integer"], false],
  ["group width fractional", { ...BASE, groupWidth: 1.5 }, ["groupWidth:group-width-positive-integer"], false],
  ["bottleneck zero", { ...BASE, bottleneck: 0 }, ["bottleneck:bottleneck-positive"], false],
  ["stem width zero", { ...BASE, stemWidth: 0 }, ["stemWidth:stem-width-positive-integer"], true],
  ["SE ratio on a RegNetX", { ...BASE, seRatio: 0.25 }, ["seRatio:x-has-no-se"], true],
  ["no SE ratio on a RegNetY", { ...BASE_Y, seRatio: null }, ["seRatio:y-has-se"], true],
  ["SE ratio above 1", { ...BASE_Y, seRatio: 1.5 }, ["seRatio:se-ratio-range"], true],
  ["SE ratio zero", { ...BASE_Y, seRatio: 0 }, ["seRatio:se-ratio-range"], true],
  ["an unknown family", { ...BASE, family: "Z" as RegNetParams["family"] }, ["family:family-x-or-y"], true],
  ["wa not a number", { ...BASE, wa: NaN }, ["wa:finite-number"], false],
  ["wm infinite", { ...BASE, wm: Infinity }, ["wm:finite-number"], false],
  ["SE ratio infinite", { ...BASE_Y, seRatio: -Infinity }, ["seRatio:finite-number"], true],
  ["depth infinite and fractional w0", { ...BASE, depth: Infinity, w0: 8.5 }, ["depth:finite-number", "w0:w0-multiple-of-8"], false],
  ["several at once", { ...BASE, depth: 0, wm: 1, w0: 12 }, ["depth:depth-positive-integer", "w0:w0-multiple-of-8", "wm:wm-greater-than-one"], false],
  [
    "group width above the bottleneck width after adjustment",
    { ...SMALL, groupWidth: 12, bottleneck: 0.7 },
    ["groupWidth:group-width-within-bottleneck"],
    true,
  ],
  [
    "bottleneck width not a multiple of the group width",
    { ...SMALL, w0: 24, bottleneck: 0.7 },
    ["groupWidth:group-width-divides-bottleneck", "groupWidth:group-width-divides-bottleneck"],
    true,
  ],
];

for (const [what, p, expected, hasStages] of cases) {
  test(`problem: ${what}`, () => {
    assert.deepEqual(rules(p), expected);
    assert.equal(expandStages(p).stages.length > 0, hasStages);
    assert.throws(() => complexity(p), (e: unknown) => e instanceof RegNetParamsError && e.problems.length === expected.length);
  });
}

test("valid parameters have no problems", () => {
  assert.deepEqual(expandStages(BASE).problems, []);
  assert.deepEqual(expandStages(BASE_Y).problems, []);
});

function allProblems(): RegNetProblem[] {
  return cases.flatMap(([, p]) => expandStages(p).problems);
}

test("messages are one sentence: capital or backtick first, a period last, no line breaks", () => {
  for (const { message } of allProblems()) {
    assert.match(message, /^[A-Z`][^\n]*\.$/, message);
    assert.ok(!/\.\s+[A-Z]/.test(message.replace(/\d\.\d/g, "")), `more than one sentence: ${message}`);
  }
});

test("messages name fields in backticks, as recipes spell them", () => {
  const byRule = new Map<string, string>();
  for (const x of allProblems()) if (!byRule.has(x.rule)) byRule.set(x.rule, x.message);
  assert.equal(byRule.get("w0-multiple-of-8"), "`w0` must be a positive multiple of 8, got 12.");
  assert.equal(byRule.get("group-width-positive-integer"), "`group_width` must be a whole number, at least 1, got 0.");
  assert.equal(byRule.get("wa-non-negative"), "`wa` must be at least 0, got -1.");
  assert.equal(byRule.get("finite-number"), "`wa` must be a finite number, got NaN.");
  assert.match(byRule.get("stage-width-positive") ?? "", /^Stage 1 has width 0 .*`w0` = 4 is too small\.$/);
  assert.match(byRule.get("group-width-within-bottleneck") ?? "", /^Stage 2 has group width 11, more than its bottleneck width 10;/);
  for (const x of allProblems()) assert.ok(!x.message.includes("groupWidth") && !x.message.includes("seRatio"), x.message);
});

test("the throwing callers report the first problem and how many more", () => {
  const p = { ...BASE, depth: 0, wm: 1 };
  assert.throws(() => tapShapes(p, 224), { name: "RegNetParamsError", message: /^`depth` must be .*\(and 1 more problems\)$/ });
  assert.throws(() => memoryEstimate(p, { inputSize: 224, batch: 1 }), RegNetParamsError);
});

test("invalid counting options are range errors", () => {
  assert.throws(() => complexity(BASE, { inputSize: 0 }), RangeError);
  assert.throws(() => complexity(BASE, { inputSize: 22.5 }), RangeError);
  assert.throws(() => complexity(BASE, { classes: -1 }), RangeError);
  assert.throws(() => tapShapes(BASE, -3), RangeError);
  assert.throws(() => memoryEstimate(BASE, { inputSize: 224, batch: 0 }), RangeError);
});
