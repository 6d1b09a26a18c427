/** Checker semantics: derivation, presets, references, params. */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { compile, type Compilation } from "../../compiler/compile.js";
import { renderRecipe } from "../../compiler/render.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const CHECK = path.join(FIXTURES, "check");

function rendered(c: Compilation): Record<string, { fields: Record<string, unknown>; derived_from?: string[] }> {
  return renderRecipe(c, c.program.roots[0]!).declarations as never;
}

test("derivation: `=` replaces, the block form amends inherited records field by field", () => {
  const c = compile(["derive.seer"], { cwd: CHECK });
  assert.deepEqual(c.diagnostics.map((d) => d.message), []);
  const decls = rendered(c);
  assert.deepEqual(decls["b"]!.fields["optimizer"], { $ctor: "lars", lr: { value: 0.3 }, momentum: 0.8, weight_decay: 1e-6, trust: 0.001, exclude_bn_bias: true });
  assert.deepEqual(decls["b"]!.fields["sinkhorn"], { iterations: 5, epsilon: 0.03 });
  assert.deepEqual(decls["c"]!.fields["optimizer"], { $ctor: "sgd", lr: { value: 0.1 }, momentum: 0.9, nesterov: false, weight_decay: 0 });
  assert.deepEqual(decls["b"]!.derived_from, ["a"]);
  // The preset's fields are inherited, the override applied.
  const trunk = decls["trunk"]!;
  assert.deepEqual(trunk.derived_from, ["regnet.RegNetY_200MF"]);
  assert.equal(trunk.fields["group_width"], 16);
  assert.equal(trunk.fields["se_ratio"], 0.25);
  assert.equal(trunk.fields["depth"], 13);
});

test("the standard library and every recipe in recipes/ check clean", () => {
  const files = ["recipes/std/regnet.seer", "recipes/quickstart.seer", "recipes/paper-evals.seer", "recipes/seer-10b.seer", "recipes/swav-regnety-4gf.seer"];
  const c = compile(files, { cwd: ROOT });
  assert.deepEqual(c.diagnostics.map((d) => `${d.span.file}: ${d.message}`), []);
  assert.equal([...c.check.decls.keys()].filter((d) => d.module.display.endsWith("std/regnet.seer")).length, 29, "all 29 presets checked");
});

test("a bare number given to a unit parameter takes the unit; the override reaches the recipe", () => {
  const c = compile(["recipes/quickstart.seer"], { cwd: ROOT, overrides: [{ text: "pretrain_epochs=1" }] });
  // The one-epoch warmup now fills the run: a warning, not an error (the example's own comment suggests this override).
  assert.deepEqual(c.diagnostics.map((d) => `${d.severity} ${d.code}`), ["warning SEER4020"]);
  assert.deepEqual(rendered(c)["swav_tiny"]!.fields["duration"], { value: 1, unit: "epochs" });
});

test("inherited references keep the meaning of the file that wrote them", () => {
  // seer-10b's suite uses paper.in1k_linear, whose `train` refers to `imagenet` inside paper-evals.seer.
  const c = compile(["recipes/seer-10b.seer"], { cwd: ROOT });
  assert.deepEqual(c.diagnostics, []);
  const suite = rendered(c)["robustness_and_fairness"]!;
  assert.deepEqual((suite.fields["evals"] as unknown[])[0], { $ref: "paper.in1k_linear" });
});
