// Feature extraction (taps, adaptive pooling, a dataset split's labels and attributes) and the on-disk feature store.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DatasetSpec } from "../../contract/specs.js";
import { openDataset } from "../../runtime/data/open.js";
import { adaptiveAvgPool, concatFeatures, extractBatch } from "../../runtime/eval/extract.js";
import { featureKey, loadFeatures, saveFeatures } from "../../runtime/eval/feature-store.js";
import { extractSplit } from "../../runtime/eval/features-job.js";
import { buildRegNet } from "../../runtime/tfjs/regnet.js";
import { tempDir, writeImage } from "./data/fixtures.js";
import { loadWasm } from "./tfjs-helpers.js";

const tf = await loadWasm();

test("adaptive average pooling: (2x1) grid of a 3x2 map uses PyTorch's overlapping bins", () => {
  // One image, H=3, W=2, C=1: rows [1,2], [3,4], [5,6]. Bins over H: rows 0..1 and 1..2 (floor/ceil).
  const out = adaptiveAvgPool(Float32Array.from([1, 2, 3, 4, 5, 6]), 1, 3, 2, 1, [2, 1]);
  assert.deepEqual(Array.from(out), [2.5, 4.5]);
  assert.deepEqual(Array.from(adaptiveAvgPool(Float32Array.from([1, 2, 3, 4, 5, 6]), 1, 3, 2, 1, [1, 1])), [3.5]);
});

test("extraction from a frozen trunk: pool tap, grid pooling of res4, deterministic, no leaks", async () => {
  const net = buildRegNet(tf, { family: "Y", stemWidth: 8, seRatio: 0.25, stages: [{ depth: 1, width: 8, groupWidth: 8, bottleneckWidth: 8 }, { depth: 1, width: 16, groupWidth: 8, bottleneckWidth: 16 }, { depth: 1, width: 24, groupWidth: 8, bottleneckWidth: 24 }] }, { seed: 3 });
  const images = tf.randomNormal([5, 32, 32, 3], 0, 1, "float32", 7) as import("../../runtime/tfjs/tf.js").Tensor4D;
  const before = tf.memory().numTensors;
  const pool = await extractBatch(tf, net, images, "pool");
  assert.equal(pool.n, 5);
  assert.equal(pool.dim, 24);
  const grid = await extractBatch(tf, net, images, "res4", { grid: [2, 1] });
  assert.equal(grid.dim, 2 * 24);
  const again = await extractBatch(tf, net, images, "pool");
  assert.deepEqual(Array.from(again.data), Array.from(pool.data), "eval-mode extraction is deterministic");
  assert.equal(tf.memory().numTensors, before, "no tensors leak");
  // Global average of res4 equals the pool tap.
  const res4 = await extractBatch(tf, net, images, "res4", { grid: [1, 1] });
  for (let i = 0; i < pool.data.length; i++) assert.ok(Math.abs(res4.data[i]! - pool.data[i]!) < 1e-5);
  const all = concatFeatures([pool, again]);
  assert.equal(all.n, 10);
  images.dispose();
  net.dispose();
});

test("the feature store reuses files for the same source and refuses corrupt ones", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-feat-"));
  const source = { trunk: "abc123", tap: "pool", pooling: "1x1", data: "fp-1", split: "train" };
  const f = { data: Float32Array.from([1, 2, 3, 4, 5, 6]), n: 3, dim: 2 };
  const key = saveFeatures(dir, f, { source, labels: [0, 1, 0], attributes: { group: [0, 0, 1] }, attribute_values: { group: ["low", "high"] } });
  assert.equal(key, featureKey({ ...source }));
  const back = loadFeatures(dir, source);
  assert.ok(back);
  assert.deepEqual(Array.from(back.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(back.meta.labels, [0, 1, 0]);
  assert.deepEqual([back.meta.attributes, back.meta.attribute_values], [{ group: [0, 0, 1] }, { group: ["low", "high"] }]);
  assert.equal(loadFeatures(dir, { ...source, tap: "res5" }), undefined, "another tap is another file");
  assert.equal(loadFeatures(dir, { ...source, trunk: "def456" }), undefined, "other weights, other file");
  const dataFile = path.join(dir, `${key}.f32`);
  const bytes = readFileSync(dataFile);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  writeFileSync(dataFile, bytes);
  assert.equal(loadFeatures(dir, source), undefined, "a corrupt file is not trusted");
});

test("features of a manifest split carry its attribute columns: codes per image and the values they stand for", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const rows = [["a", "bed", "low", "test"], ["b", "stove", "high", "test"], ["c", "bed", "high", "train"], ["d", "stove", "low", "test"], ["e", "bed", "high", "test"]];
  for (const [i, [name]] of rows.entries()) await writeImage(path.join(dir, `${name}.png`), "png", i, 32, 32);
  writeFileSync(path.join(dir, "images.csv"), `path,label,income,split\n${rows.map(([n, l, inc, s]) => `${n}.png,${l},${inc},${s}`).join("\n")}\n`);
  const spec: DatasetSpec = {
    kind: "manifest", name: "street", dir: "", attributes: ["income"], file: "images.csv", root: null, image: "path", label: "label", classes: null,
    splits: [{ name: "train", folder: "train" }, { name: "test", folder: "test" }], content_hash: false, images: null,
  };
  const dataset = await openDataset(spec, { baseDir: dir, fingerprint: { cacheFile: null } });
  assert.ok(dataset.kind === "manifest");
  const net = buildRegNet(tf, { family: "Y", stemWidth: 8, seRatio: 0.25, stages: [{ depth: 1, width: 8, groupWidth: 8, bottleneckWidth: 8 }] }, { seed: 1 });
  try {
    const f = await extractSplit({ tf, net, tap: "pool", size: 32, dataset, split: "test", workers: 1 });
    assert.equal(f.n, 4);
    assert.deepEqual(f.attributeValues, { income: ["high", "low"] });
    const income = f.attributes["income"]!;
    assert.deepEqual([...income].map((c) => f.attributeValues!["income"]![c]), ["low", "high", "low", "high"]);
    assert.deepEqual([...f.labels], [0, 1, 1, 0]);
  } finally {
    net.dispose();
  }
});
