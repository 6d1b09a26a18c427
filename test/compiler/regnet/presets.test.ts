// Every preset in recipes/std/regnet.seer: valid, four stages, documented correctly, and
// (for the 24 pycls presets) exact against pycls dev/model_complexity.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { complexity, expandStages } from "../../../compiler/regnet/arith.js";
import { REGNET_PRESET_NAMES, toIdentifier, toPublished } from "../../../compiler/regnet/names.js";
import { pyclsFigures, readText, seerPresets } from "./helpers.js";

const presets = seerPresets();

test("the preset file declares the 29 expected presets, in the names list's order", () => {
  assert.equal(presets.length, 29);
  assert.deepEqual(presets.map((p) => p.identifier), REGNET_PRESET_NAMES.map(toIdentifier));
});

test("every declaration has a `///` doc line directly above it", () => {
  for (const p of presets) assert.notEqual(p.doc, "", p.identifier);
});

test("the module header `///` block is followed by a blank line", () => {
  const lines = readText("recipes/std/regnet.seer").split(/\r?\n/);
  const firstNonDoc = lines.findIndex((l) => !l.startsWith("///"));
  assert.ok(firstNonDoc > 0);
  assert.equal(lines[firstNonDoc], "");
});

test("RegNetX presets do not write `se_ratio`; no preset writes defaulted fields", () => {
  for (const p of presets) {
    if (p.params.family === "X") assert.ok(!p.fields.includes("se_ratio"), p.identifier);
    assert.deepEqual(p.fields, ["family", "depth", "w0", "wa", "wm", "group_width"], p.identifier);
  }
});

for (const p of presets) {
  test(`${p.identifier} expands with no problems into exactly 4 stages`, () => {
    const { stages, problems } = expandStages(p.params);
    assert.deepEqual(problems, []);
    assert.equal(stages.length, 4);
    assert.equal(stages.reduce((n, s) => n + s.depth, 0), p.params.depth);
  });
}

test("the 24 pycls presets reproduce dev/model_complexity.json exactly", () => {
  const figures = pyclsFigures();
  assert.equal(Object.keys(figures).length, 24);
  for (const [published, expected] of Object.entries(figures)) {
    const p = presets.find((q) => q.identifier === toIdentifier(published));
    assert.ok(p !== undefined, published);
    const c = complexity(p.params);
    assert.deepEqual({ params: c.params, flops: c.flops, acts: c.acts }, expected, published);
  }
});

function formatParams(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : `${(n / 1e6).toFixed(1)}M`;
}
function formatFlops(f: number): string {
  return f >= 1e9 ? `${(f / 1e9).toFixed(1)} GF` : `${(f / 1e6).toFixed(0)} MF`;
}

test("each doc line names its preset and states the computed params (and trunk params, if given) and flops", () => {
  for (const p of presets) {
    const published = toPublished(p.identifier);
    assert.ok(published !== undefined, p.identifier);
    assert.ok(p.doc.startsWith(`${published} (`), p.doc);
    const c = complexity(p.params);
    const trunk = ` (${formatParams(c.trunkParams)} trunk)`;
    const plain = `: ${formatParams(c.params)} params, ${formatFlops(c.flops)} at 224px.`;
    const withTrunk = `: ${formatParams(c.params)} params${trunk}, ${formatFlops(c.flops)} at 224px.`;
    assert.ok(p.doc.endsWith(plain) || p.doc.endsWith(withTrunk), p.doc);
  }
});
