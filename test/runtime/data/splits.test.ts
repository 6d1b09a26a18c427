import { test } from "node:test";
import assert from "node:assert/strict";
import { DataError } from "../../../runtime/data/errors.js";
import fc from "fast-check";
import { splitByCount, splitByHash, splitSizes, splitSpec } from "../../../runtime/data/splits.js";

const parts = [["train", 0.8], ["val", 0.1], ["test", 0.1]] as const;

test("hash splits: within 1% of the requested fractions, stable when items are added", () => {
  const keys = Array.from({ length: 20000 }, (_, i) => `class${i % 37}/img_${i}.jpg`);
  const s = splitByHash(keys, parts, 0);
  for (const [name, f] of parts) assert.ok(Math.abs(s[name]!.length / keys.length - f) < 0.01, `${name}: ${s[name]!.length}`);
  assert.equal(s["train"]!.length + s["val"]!.length + s["test"]!.length, keys.length);
  const more = [...keys, ...Array.from({ length: 5000 }, (_, i) => `new/${i}.png`)];
  const s2 = splitByHash(more, parts, 0);
  for (const [name] of parts) {
    const before = new Set(s[name]!.map((i) => keys[i]));
    const after = new Set(s2[name]!.map((i) => more[i]).filter((k) => !k!.startsWith("new/")));
    assert.deepEqual(after, before, `${name} keeps its items`);
  }
  assert.notDeepEqual(splitByHash(keys, parts, 1), s, "another seed reshuffles");
});

test("count splits: exact sizes, disjoint, covering, seeded", () => {
  const s = splitByCount(4000, [["train", 0.8], ["test", 0.2]], 1);
  assert.equal(s["train"]!.length, 3200);
  assert.equal(s["test"]!.length, 800);
  const all = [...s["train"]!, ...s["test"]!].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 4000 }, (_, i) => i));
  assert.deepEqual(splitByCount(4000, [["train", 0.8], ["test", 0.2]], 1), s);
  assert.notDeepEqual(splitByCount(4000, [["train", 0.8], ["test", 0.2]], 2), s);
  const odd = splitByCount(10, [["a", 1 / 3], ["b", 1 / 3], ["c", 1 / 3]]);
  assert.deepEqual([odd["a"]!.length, odd["b"]!.length, odd["c"]!.length], [4, 3, 3]);
});

test("spec splits: fractions or names, never both; must add up to 100%", () => {
  assert.deepEqual(splitSpec([{ name: "train", fraction: 0.8 }, { name: "test", fraction: 0.2 }]), { kind: "fractions", parts: [["train", 0.8], ["test", 0.2]] });
  assert.deepEqual(splitSpec([{ name: "train", folder: "train" }, { name: "val", folder: "val" }]), { kind: "named", parts: [["train", "train"], ["val", "val"]] });
  assert.throws(() => splitSpec([{ name: "train", fraction: 0.8 }, { name: "val", folder: "val" }]), (e: unknown) => e instanceof DataError && e.code === "split-invalid");
  assert.throws(() => splitSpec([{ name: "train", fraction: 0.8 }, { name: "test", fraction: 0.3 }]), /110%/);
});

test("count splits assign exactly the sizes planning reports (splitSizes), for any size and fractions", () => {
  const fractionsArb = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 5 }).filter((w) => w.some((x) => x > 0)).map((w) => {
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((x, i) => [`s${i}`, x / total] as const);
  });
  fc.assert(fc.property(fc.nat({ max: 5000 }), fractionsArb, fc.nat(), (n, parts, seed) => {
    const sizes = splitSizes(n, parts);
    const s = splitByCount(n, parts, seed);
    assert.deepEqual(parts.map(([name]) => s[name]!.length), sizes);
    assert.equal(sizes.reduce((a, b) => a + b, 0), n);
  }), { numRuns: 200, ...(process.env["CI"] ? { seed: 20261126 } : {}) });
});

test("split sizes of ten million images are arithmetic: no item is assigned", () => {
  const t0 = performance.now();
  assert.deepEqual(splitSizes(10_000_000, [["train", 0.8], ["test", 0.2]]), [8_000_000, 2_000_000]);
  assert.deepEqual(splitSizes(10_000_001, [["a", 1 / 3], ["b", 1 / 3], ["c", 1 / 3]]), [3_333_334, 3_333_334, 3_333_333]);
  assert.ok(performance.now() - t0 < 50);
});
