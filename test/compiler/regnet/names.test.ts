// Published preset names ↔ identifiers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { REGNET_PRESET_NAMES, lookupPresetName, toIdentifier, toPublished } from "../../../compiler/regnet/names.js";

test("toIdentifier: `-` and `.` become `_`, a zero fraction is dropped", () => {
  assert.equal(toIdentifier("RegNetY-4.0GF"), "RegNetY_4GF");
  assert.equal(toIdentifier("RegNetX-8.0GF"), "RegNetX_8GF");
  assert.equal(toIdentifier("RegNetX-1.6GF"), "RegNetX_1_6GF");
  assert.equal(toIdentifier("RegNetX-200MF"), "RegNetX_200MF");
  assert.equal(toIdentifier("RegNetY-128GF"), "RegNetY_128GF");
  assert.equal(toIdentifier("SEER-10B"), "SEER_10B");
  assert.equal(toIdentifier("SEER-1.3B"), "SEER_1_3B");
  assert.equal(toIdentifier("Net-1.05GF"), "Net_1_05GF");
  assert.equal(toIdentifier("RegNetY_4GF"), "RegNetY_4GF");
});

test("toPublished inverts toIdentifier over the preset list", () => {
  assert.equal(toPublished("RegNetY_4GF"), "RegNetY-4.0GF");
  assert.equal(toPublished("RegNetX_1_6GF"), "RegNetX-1.6GF");
  assert.equal(toPublished("SEER_10B"), "SEER-10B");
  assert.equal(toPublished("SEER_1_3B"), "SEER-1.3B");
  assert.equal(toPublished("regnety_4gf"), undefined);
  assert.equal(toPublished("RegNetZ_4GF"), undefined);
  for (const name of REGNET_PRESET_NAMES) assert.equal(toPublished(toIdentifier(name)), name);
  assert.equal(toPublished("Foo_2GF", ["Foo-2.0GF"]), "Foo-2.0GF");
});

test("the preset list has 29 names with distinct identifiers", () => {
  assert.equal(REGNET_PRESET_NAMES.length, 29);
  assert.equal(new Set(REGNET_PRESET_NAMES.map(toIdentifier)).size, 29);
  assert.ok(Object.isFrozen(REGNET_PRESET_NAMES));
});

test("lookupPresetName accepts either form, in any case", () => {
  const y4 = { published: "RegNetY-4.0GF", identifier: "RegNetY_4GF" };
  assert.deepEqual(lookupPresetName("RegNetY-4.0GF"), y4);
  assert.deepEqual(lookupPresetName("RegNetY_4GF"), y4);
  assert.deepEqual(lookupPresetName("regnety-4.0gf"), y4);
  assert.deepEqual(lookupPresetName("REGNETY_4GF"), y4);
  assert.deepEqual(lookupPresetName("seer-1.3b"), { published: "SEER-1.3B", identifier: "SEER_1_3B" });
  assert.equal(lookupPresetName("RegNetY-4GF"), undefined);
  assert.equal(lookupPresetName("ResNet-50"), undefined);
});
