// Tap names and shapes, and the documented memory estimate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { complexity, memoryEstimate, tapNames, tapShapes } from "../../../compiler/regnet/arith.js";
import { seerPreset } from "./helpers.js";

test("tapNames: stem, res2 … res{n+1}, pool", () => {
  assert.deepEqual(tapNames(4), ["stem", "res2", "res3", "res4", "res5", "pool"]);
  assert.deepEqual(tapNames(1), ["stem", "res2", "pool"]);
  assert.deepEqual(tapNames(0), ["stem", "pool"]);
  assert.throws(() => tapNames(-1), RangeError);
  assert.throws(() => tapNames(2.5), RangeError);
});

test("tapShapes at 224: 112 → 56 → 28 → 14 → 7, pool 1×1", () => {
  const shapes = tapShapes(seerPreset("RegNetY_16GF"), 224);
  assert.deepEqual(Object.keys(shapes), tapNames(4));
  assert.deepEqual(shapes, {
    stem: { channels: 32, height: 112, width: 112 },
    res2: { channels: 224, height: 56, width: 56 },
    res3: { channels: 448, height: 28, width: 28 },
    res4: { channels: 1232, height: 14, width: 14 },
    res5: { channels: 3024, height: 7, width: 7 },
    pool: { channels: 3024, height: 1, width: 1 },
  });
});

test("tapShapes at an odd size (33): each stride-2 step takes the ceiling, 17 → 9 → 5 → 3 → 2", () => {
  const shapes = tapShapes(seerPreset("RegNetX_1_6GF"), 33);
  assert.deepEqual(shapes, {
    stem: { channels: 32, height: 17, width: 17 },
    res2: { channels: 72, height: 9, width: 9 },
    res3: { channels: 168, height: 5, width: 5 },
    res4: { channels: 408, height: 3, width: 3 },
    res5: { channels: 912, height: 2, width: 2 },
    pool: { channels: 912, height: 1, width: 1 },
  });
});

test("tapShapes at 1 px keeps every side at 1", () => {
  const shapes = tapShapes(seerPreset("RegNetX_200MF"), 1);
  for (const name of tapNames(4)) assert.deepEqual([shapes[name]?.height, shapes[name]?.width], [1, 1], name);
});

test("tap shapes agree with the counter's activations (stem acts = channels × side²)", () => {
  for (const size of [33, 224, 384]) {
    const p = seerPreset("RegNetY_800MF");
    const stem = tapShapes(p, size)["stem"];
    assert.ok(stem !== undefined);
    assert.equal(complexity(p, { inputSize: size }).stem.acts, stem.channels * stem.height * stem.width);
  }
});

test("memoryEstimate follows its documented formula", () => {
  const p = seerPreset("RegNetX_200MF");
  const m = memoryEstimate(p, { inputSize: 224, batch: 32 });
  assert.equal(m.weightsBytes, 2_684_792 * 4);
  assert.equal(m.activationBytesPerImage, (2 * 2_164_056 + 3 * 224 * 224) * 4);
  assert.equal(m.trainingBytes, 3 * m.weightsBytes + 32 * m.activationBytesPerImage);
  assert.deepEqual(m, { weightsBytes: 10_739_168, activationBytesPerImage: 17_914_560, trainingBytes: 605_483_424 });
});

test("memoryEstimate: activations grow with the input size, weights do not; classes change weights", () => {
  const p = seerPreset("RegNetY_32GF");
  const small = memoryEstimate(p, { inputSize: 160, batch: 16 });
  const big = memoryEstimate(p, { inputSize: 224, batch: 16 });
  assert.equal(small.weightsBytes, big.weightsBytes);
  assert.ok(big.activationBytesPerImage > small.activationBytesPerImage * 1.9);
  assert.equal(memoryEstimate(p, { inputSize: 224, batch: 1, classes: 0 }).weightsBytes, 141_333_770 * 4);
});
