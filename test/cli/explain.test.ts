/** `seer explain`: presets, recipe models, input sizes, JSON shape. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { seer } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

interface Explained {
  name: string;
  params: number;
  flops: number;
  acts: number;
  trunk_params: number;
  input: number;
  stages: { depth: number; width: number; group_width: number; groups: number }[];
}

function explainJson(args: string[]): Explained {
  const r = seer(["explain", ...args, "--format", "json"], { cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Explained;
}

test("explain --preset SEER-10B: about 9.35e9 parameters with the head", () => {
  const m = explainJson(["--preset", "SEER-10B"]);
  assert.equal(m.params, 9_352_215_872);
  assert.equal(m.trunk_params, 9_323_934_872);
  assert.equal(m.input, 224);
  assert.deepEqual(m.stages.map((s) => s.depth), [2, 7, 17, 1]);
  assert.deepEqual(m.stages.map((s) => s.width), [2020, 4040, 11110, 28280]);
  const text = seer(["explain", "--preset", "SEER-10B"], { cwd: ROOT });
  assert.match(text.stdout, /params\s+9\.35B \(9,352,215,872\) with head/);
});

test("explain --preset accepts published and identifier names and reproduces pycls figures", () => {
  const a = explainJson(["--preset", "RegNetX-1.6GF"]);
  const b = explainJson(["--preset", "RegNetX_1_6GF"]);
  assert.deepEqual(a, b);
  assert.deepEqual(a.stages.map((s) => s.width), [72, 168, 408, 912]);
  assert.deepEqual(a.stages.map((s) => s.groups), [3, 7, 17, 38]);
  const y200 = explainJson(["--preset", "RegNetX-200MF"]);
  assert.deepEqual([y200.params, y200.flops, y200.acts], [2_684_792, 199_040_872, 2_164_056]);
});

test("explain --input changes the size the figures are computed at", () => {
  const at224 = explainJson(["--preset", "RegNetY-4.0GF"]);
  const at160 = explainJson(["--preset", "RegNetY-4.0GF", "--input", "160px"]);
  assert.equal(at160.input, 160);
  assert.equal(at160.params, at224.params);
  assert.ok(at160.flops < at224.flops);
});

test("explain RECIPE MODEL, also through a pretraining, uses the same arithmetic", () => {
  const tiny = explainJson(["recipes/quickstart.seer", "tiny"]);
  assert.deepEqual(tiny.stages.map((s) => s.width), [16, 32, 48, 96]);
  assert.deepEqual(tiny.stages.map((s) => s.depth), [1, 1, 3, 3]);
  assert.deepEqual(explainJson(["recipes/quickstart.seer", "swav_tiny"]).stages, tiny.stages);
  const trunk = explainJson(["recipes/swav-regnety-4gf.seer", "trunk"]);
  assert.equal(trunk.params, explainJson(["--preset", "RegNetY-4.0GF"]).params);
});

test("explain usage errors exit 2 with suggestions", () => {
  const r = seer(["explain", "--preset", "RegNetY-4.0G"], { cwd: ROOT });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /did you mean `RegNetY-4\.0GF`/);
  assert.equal(seer(["explain", "recipes/quickstart.seer", "tinyy"], { cwd: ROOT }).code, 2);
  assert.equal(seer(["explain", "recipes/quickstart.seer", "shapes"], { cwd: ROOT }).code, 2);
  assert.equal(seer(["explain", "--preset", "SEER-10B", "--input", "big"], { cwd: ROOT }).code, 2);
  assert.equal(seer(["explain"], { cwd: ROOT }).code, 2);
});
