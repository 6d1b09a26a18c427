/** Checker semantics: derivation, presets, references, params. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
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

/** Checks an in-memory recipe (relative paths against test/fixtures/check). */
function checkText(text: string): Compilation {
  const abs = path.join(CHECK, "__inline__.seer");
  return compile([abs], { cwd: CHECK, sources: new Map([[abs, text]]) });
}

const TRUNK = `
model m = regnet { family = Y  depth = 6  w0 = 16  wa = 8.0  wm = 2.0  group_width = 8 }
dataset d = synthetic { images = 1K  classes = 4  groups = 2  splits { train = 90%  test = 10% } }
pretrain p = swav { model = m  data = d.train  prototypes = 32  batch = 64 images  duration = 1 epoch }
eval e = knn { train = d.train  test = d.test }
`;

test("a pretraining's taps are its model's, with or without random_init", () => {
  const c = checkText(`${TRUNK}suite s { features = [p.res4, p.pool, random_init(p).stem, random_init(m).res2]  evals = [e] }\n`);
  assert.deepEqual(c.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  const suite = [...c.check.decls.values()].find((d) => d.info.name === "s")!;
  const rows = [0, 1, 2, 3].map((i) => suite.refs.get(`/features/${i}`));
  assert.deepEqual(rows.map((r) => (r?.k === "tap" ? `${r.decl.name}.${r.tap}${r.randomInit ? " random" : ""}` : r?.k)), ["p.res4", "p.pool", "p.stem random", "m.res2 random"]);
  // The model's fifth stage does not exist, so neither does the pretraining's.
  const text = `${TRUNK}suite s { features = [p.res5, random_init(p).res5, m.res5]  evals = [e] }\n`;
  const bad = checkText(text);
  // Each at the tap's own span.
  assert.deepEqual(bad.diagnostics.map((d) => `${d.code} ${d.path?.join(".")} ${text.slice(d.span.start, d.span.end)} ${d.help}`), [
    "SEER2016 s.features.0 res5 did you mean `res2`, `res3` or `res4`?",
    "SEER2016 s.features.1 res5 did you mean `res2`, `res3` or `res4`?",
    "SEER2016 s.features.2 res5 did you mean `res2`, `res3` or `res4`?",
  ]);
  assert.equal(bad.diagnostics[0]!.message, "`res5` is not a feature tap of `p`.");
});

test("random_init takes a model or a pretraining, nothing else", () => {
  const c = checkText(`${TRUNK}suite s { features = [random_init(d).pool, random_init(e).pool]  evals = [e] }\n`);
  assert.deepEqual(c.diagnostics.map((d) => d.message), [
    "`d` is a dataset (`d`), but a reference to a model or a reference to a pretraining is needed here.",
    "`e` is an evaluation (`e`), but a reference to a model or a reference to a pretraining is needed here.",
  ]);
});

test("fairness test sets: other declared classes are refused, classes known only when read are accepted", () => {
  const datasets = `${TRUNK}
dataset seven = synthetic { images = 1K  classes = 7  groups = 2  splits { train = 50%  test = 50% } }
dataset street = manifest { file = "street.csv"  attributes = [income] }
dataset street4 = street { classes = 4 }
dataset folder = image_folder { root = "images" }
eval probe = linear_probe { train = d.train  test = d.test }
`;
  const accepted = checkText(`${datasets}
eval a = fairness { probe = probe  test = street  group_by = [income] }
eval b = fairness { probe = probe  test = street4  group_by = [income] }
eval c = fairness { probe = probe  test = folder  group_by = [group] }
eval g = fairness { probe = probe  group_by = [group] }
`);
  // A folder has no attributes, but its classes are not refused.
  assert.deepEqual(accepted.diagnostics.map((d) => `${d.code} ${d.path?.join(".")}`), ["SEER4016 c.group_by.0"]);
  const refused = checkText(`${datasets}
eval own = fairness { probe = probe  test = seven.test  group_by = [group] }
eval inline = fairness { probe = linear_probe { train = d.train  test = seven.test }  group_by = [group] }
eval inherited = fairness { probe = linear_probe { train = seven.train  test = street4 }  group_by = [income] }
`);
  assert.deepEqual(refused.diagnostics.map((d) => `${d.code} ${d.path?.join(".")}`), ["SEER4018 own.test", "SEER4018 inline.probe.test", "SEER4018 inherited.probe.test"]);
});

test("a range of percentages where fractions are expected says so and offers the fractions (issue #16)", () => {
  const text = readFileSync(path.join(ROOT, "recipes", "quickstart.seer"), "utf8").replace("scale = 0.5..1.0", "scale = 30%..100%");
  const file = path.join(ROOT, "recipes", "scale.seer");
  const c = compile([file], { sources: new Map([[file, text]]) });
  assert.deepEqual(c.diagnostics.map((d) => [d.code, d.message, d.help]), [["SEER3003", "`scale` takes a range of area fractions (`lo..hi`); this is a range of percentages.", "write fractions: `0.3..1`"]]);
});

test("a standard-library preset used without its import gets the import to add (issue #16)", () => {
  for (const text of ["model m = regnet.RegNetY_16GF { depth = 20 }\n", "dataset d = synthetic { images = 100  size = 32px  classes = 2 }\npretrain p = swav { model = regnet.RegNetY_16GF  data = d.train  batch = 32 images  duration = 1 epochs }\n"]) {
    const file = path.join(ROOT, "recipes", "hint.seer");
    const c = compile([file], { sources: new Map([[file, text]]) });
    const d = c.diagnostics.find((x) => x.code === "SEER2001");
    assert.equal(d?.help, '`regnet` is a module of the standard library: add `import "std/regnet" as regnet` at the top of the file', text);
  }
});

test("a RegNet over 100B trunk parameters checks with a warning naming its size; the shipped recipes (SEER-10B included) do not (issue #16)", () => {
  const file = path.join(ROOT, "recipes", "huge.seer");
  const text = "model huge = regnet { family = Y  depth = 40  w0 = 5000  wa = 4000.0  wm = 2.5  group_width = 1000 }\n";
  const c = compile([file], { sources: new Map([[file, text]]) });
  assert.deepEqual(c.diagnostics.map((d) => [d.code, d.severity, d.message]), [["SEER4003", "warning", "This RegNet has 1255B parameters in its trunk, more than 10 times SEER's largest (10B); check `w0`, `wa`, `wm` and `depth`."]]);
});
