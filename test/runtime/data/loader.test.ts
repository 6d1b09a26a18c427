import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Augmenter, SWAV_AUGMENT, type CropSpec } from "../../../runtime/data/augment.js";
import { labelsOf } from "../../../runtime/data/dataset.js";
import { scanImageFolder } from "../../../runtime/data/image-folder.js";
import { DataLoader, type Batch } from "../../../runtime/data/loader.js";
import { SALT_AUGMENT } from "../../../runtime/data/protocol.js";
import { derive } from "../../../runtime/data/rng.js";
import { SharedImageCache, sharedCacheFor } from "../../../runtime/data/shared-cache.js";
import { filesSource, syntheticSource } from "../../../runtime/data/source.js";
import { syntheticParams, syntheticSample } from "../../../runtime/data/synthetic.js";
import { tempDir, writeImage, writeTruncatedJpeg } from "./fixtures.js";

const CROPS: CropSpec[] = [{ count: 2, size: 32, scale: [0.3, 1] }, { count: 2, size: 16, scale: [0.1, 0.3] }];
const PARAMS = { images: 200, size: 32, classes: 10, seed: 1 };

async function collect(workers: number, from: { epoch: number; step: number }, until: number, prefetch?: number): Promise<Batch[]> {
  const loader = await DataLoader.create({ source: syntheticSource(PARAMS), batch: 48, seed: 5, workers, ...(prefetch ? { prefetch } : {}), transform: { kind: "multicrop", crops: CROPS } });
  try {
    const out: Batch[] = [];
    for await (const b of loader.batches(from, until)) out.push(b);
    const s = loader.stats();
    assert.ok(s.waitFraction >= 0 && s.waitFraction <= 1 && s.batches === out.length && s.crops === out.length * 48 * 4);
    return out;
  } finally {
    await loader.close();
  }
}

test("batches depend on (seed, epoch, step) only: 1 and 2 workers agree, resume matches, layout is group-major", async () => {
  const one = await collect(1, { epoch: 0, step: 0 }, 2);
  const two = await collect(2, { epoch: 0, step: 0 }, 2, 1);
  assert.equal(one.length, 8); // 2 epochs × floor(200 / 48)
  assert.deepEqual(two, one);
  const resumed = await collect(2, { epoch: 1, step: 2 }, 2);
  assert.deepEqual(resumed, one.slice(6));

  // Each epoch draws distinct images; epochs differ in order.
  const e0 = one.slice(0, 4).flatMap((b) => [...b.indices]);
  assert.equal(new Set(e0).size, 4 * 48);
  assert.notDeepEqual(one[4]!.indices, one[0]!.indices);

  // Shapes, labels, and crop (c, image b) at slot c·B + b, equal to augmenting directly.
  const b = one[5]!;
  assert.deepEqual(b.shapes, [{ count: 2, size: 32 }, { count: 2, size: 16 }]);
  assert.equal(b.crops[0]!.length, 2 * 48 * 32 * 32 * 3);
  assert.equal(b.crops[1]!.length, 2 * 48 * 16 * 16 * 3);
  const p = syntheticParams(PARAMS);
  b.indices.forEach((idx, k) => assert.equal(b.labels[k], idx % 10));
  const slot = 7, idx = b.indices[slot]!;
  const img = { width: 32, height: 32, data: syntheticSample(p, idx).pixels };
  const want = new Float32Array(16 * 16 * 3);
  new Augmenter(SWAV_AUGMENT).crop(img, 16, [0.1, 0.3], derive(5, SALT_AUGMENT, b.epoch, idx, 3), want, 0);
  const n = 16 * 16 * 3;
  assert.deepEqual(b.crops[1]!.subarray((1 * 48 + slot) * n, (1 * 48 + slot + 1) * n), want);
});

test("eval batches: in order, last batch partial, eval transform", async () => {
  const loader = await DataLoader.create({ source: syntheticSource(PARAMS), subset: Array.from({ length: 50 }, (_, i) => 150 + i), batch: 16, seed: 0, workers: 1, transform: { kind: "eval", size: 32, resizeRatio: 1 } });
  try {
    assert.equal(loader.stepsPerEpoch, 4);
    const all: Batch[] = [];
    for await (const b of loader.batches()) all.push(b);
    assert.deepEqual(all.map((b) => b.size), [16, 16, 16, 2]);
    assert.deepEqual(all.flatMap((b) => [...b.indices]), Array.from({ length: 50 }, (_, i) => 150 + i));
    const want = new Float32Array(32 * 32 * 3);
    new Augmenter().evalCrop({ width: 32, height: 32, data: syntheticSample(syntheticParams(PARAMS), 199).pixels }, 32, want, 0, 1);
    assert.deepEqual(all[3]!.crops[0]!.subarray(32 * 32 * 3), want);
    assert.deepEqual(await loader.batchAt(0, 1), all[1]);
  } finally {
    await loader.close();
  }
});

test("image files: an undecodable file is reported once and replaced by the next image, never a crash", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  for (let i = 0; i < 10; i++) await writeImage(path.join(dir, i % 2 ? "b" : "a", `${i}.jpg`), "jpeg", i, 40, 30);
  await writeTruncatedJpeg(path.join(dir, "a", "cut.jpg"));
  const ds = await scanImageFolder({ root: dir });
  assert.equal(ds.items.length, 11);
  const loader = await DataLoader.create({ source: filesSource(ds, { shorterSide: 36 }), labels: labelsOf(ds), batch: 11, seed: 0, workers: 2, shuffle: false, transform: { kind: "multicrop", crops: [{ count: 2, size: 24, scale: [0.5, 1] }] } });
  try {
    const batches: Batch[] = [];
    for await (const b of loader.batches({ epoch: 0 }, 2)) batches.push(b);
    assert.equal(batches.length, 2);
    const cut = ds.items.findIndex((i) => i.rel === "a/cut.jpg");
    for (const b of batches) {
      assert.ok(![...b.indices].includes(cut));
      assert.equal(b.indices[cut], cut + 1 < 11 ? cut + 1 : 0);
      assert.ok(b.crops[0]!.every((v) => Number.isFinite(v)));
    }
    assert.equal(loader.report.count, 1);
    assert.equal(loader.report.problems[0]!.reason, "unreadable");
    assert.ok(loader.report.problems[0]!.path.endsWith(path.join("a", "cut.jpg")));
  } finally {
    await loader.close();
  }
});

test("a process that never calls close() still exits; one that does exits promptly", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const mod = pathToFileURL(path.resolve(here, "../../../runtime/data/loader.js")).href;
  const src = pathToFileURL(path.resolve(here, "../../../runtime/data/source.js")).href;
  for (const close of [false, true]) {
    const script = path.join(dir, `child-${close}.mjs`);
    await writeFile(script, `
      import { DataLoader } from ${JSON.stringify(mod)};
      import { syntheticSource } from ${JSON.stringify(src)};
      const l = await DataLoader.create({ source: syntheticSource({ images: 64 }), batch: 8, seed: 0, workers: 2, transform: { kind: "multicrop", crops: [{ count: 2, size: 16, scale: [0.3, 1] }] } });
      for await (const b of l.batches()) { if (b.step === 2) break; }
      ${close ? "await l.close();" : ""}
      console.log("done");
    `);
    const t0 = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 20000 });
    assert.equal(stdout.trim(), "done");
    assert.ok(performance.now() - t0 < 15000);
  }
});

test("the shared image cache: fixed-size sources only, within its budget; put then get", () => {
  const src = syntheticSource({ images: 10, size: 16 });
  assert.equal(sharedCacheFor(filesSource([{ path: "/x.jpg" }], { shorterSide: 16 }), 1, 1 << 20), null);
  assert.equal(sharedCacheFor(src, 10, 10 * 16 * 16 * 3 - 1), null);
  const spec = sharedCacheFor(src, 10, 1 << 20)!;
  const a = new SharedImageCache(spec), b = new SharedImageCache(spec);
  assert.equal(b.get(3), null);
  const img = { width: 16, height: 16, data: syntheticSample(syntheticParams({ images: 10, size: 16 }), 3).pixels };
  a.put(3, img);
  assert.deepEqual(b.get(3)!.data, img.data);
  assert.equal(b.get(4), null);
});

test("a worker that cannot start is an error from the batch iterator, not a hang", async () => {
  const loader = await DataLoader.create({ source: syntheticSource({ images: 32 }), batch: 8, seed: 0, workers: 1, workerUrl: new URL("file:///nonexistent/seer-worker.js"), transform: { kind: "multicrop", crops: [{ count: 1, size: 8, scale: [0.5, 1] }] } });
  await assert.rejects(async () => {
    for await (const b of loader.batches()) void b;
  }, /data worker 0 failed/);
  await loader.close();
});
