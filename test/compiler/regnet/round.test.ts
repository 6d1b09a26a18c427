// Round-half-to-even, the rounding pycls uses (numpy/Python), versus Math.round.
import { test } from "node:test";
import assert from "node:assert/strict";
import { roundHalfEven, roundHalfUp } from "../../../compiler/regnet/arith.js";

test("exact ties go to the even neighbour", () => {
  assert.equal(roundHalfEven(22.5), 22);
  assert.equal(roundHalfEven(23.5), 24);
  assert.equal(roundHalfEven(24.5), 24);
  assert.equal(roundHalfEven(8.5), 8);
  assert.equal(roundHalfEven(48.5), 48);
  assert.equal(roundHalfEven(186.5), 186);
  assert.equal(roundHalfEven(0.5), 0);
  assert.equal(roundHalfEven(1.5), 2);
  assert.equal(roundHalfEven(-0.5), 0);
  assert.equal(roundHalfEven(-1.5), -2);
  assert.equal(roundHalfEven(-2.5), -2);
});

test("non-ties round to the nearest integer", () => {
  assert.equal(roundHalfEven(3.33), 3);
  assert.equal(roundHalfEven(7.67), 8);
  assert.equal(roundHalfEven(22.4999999), 22);
  assert.equal(roundHalfEven(22.5000001), 23);
  assert.equal(roundHalfEven(-3.7), -4);
  assert.equal(roundHalfEven(17), 17);
});

test("half-up differs from half-to-even only on ties with an odd lower neighbour", () => {
  assert.equal(roundHalfUp(22.5), 23);
  assert.equal(roundHalfUp(23.5), 24);
  assert.equal(roundHalfUp(3.33), 3);
  for (const x of [0.5, 2.5, 22.5, 24.5, 186.5]) assert.equal(roundHalfUp(x), Math.round(x));
});
