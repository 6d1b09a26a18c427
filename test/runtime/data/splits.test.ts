import { test } from "node:test";
import assert from "node:assert/strict";
import { DataError } from "../../../runtime/data/errors.js";
import { splitByCount, splitByHash, splitSpec } from "../../../runtime/data/splits.js";

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
