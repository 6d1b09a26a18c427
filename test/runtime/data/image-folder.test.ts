import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { DataError } from "../../../runtime/data/errors.js";
import { decodeImage } from "../../../runtime/data/image.js";
import { scanImageFolder } from "../../../runtime/data/image-folder.js";
import { tempDir, writeEmpty, writeGarbage, writeImage, writeTruncatedJpeg } from "./fixtures.js";

test("class folders: labels from sorted folder names, mixed formats, corrupt and empty files reported and skipped", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "zebra", "a.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "zebra", "b.PNG"), "png", 2);
  await writeImage(path.join(dir, "ant", "x.JPEG"), "jpeg", 3);
  await writeImage(path.join(dir, "ant", "nested", "y.webp"), "webp", 4);
  await writeImage(path.join(dir, "moth", "m.png"), "png", 5);
  await writeGarbage(path.join(dir, "moth", "corrupt.jpg"));
  await writeEmpty(path.join(dir, "ant", "zero.png"));
  await writeFile(path.join(dir, "ant", "notes.txt"), "not an image");
  await writeImage(path.join(dir, "ant", ".hidden.png"), "png", 6);
  await writeImage(path.join(dir, "loose.png"), "png", 7);

  const ds = await scanImageFolder({ root: dir, classes: 3 });
  assert.deepEqual(ds.classes, ["ant", "moth", "zebra"]);
  assert.deepEqual(ds.items.map((i) => [i.rel, i.label]), [["ant/nested/y.webp", 0], ["ant/x.JPEG", 0], ["moth/m.png", 1], ["zebra/a.jpg", 2], ["zebra/b.PNG", 2]]);
  assert.equal(ds.report.count, 3);
  assert.deepEqual(ds.report.counts(), { corrupt: 1, "empty-file": 1, "no-class": 1 });
  assert.ok(ds.report.problems.some((p) => p.path.endsWith(path.join("moth", "corrupt.jpg")) && p.reason === "corrupt"));
  assert.ok(ds.report.problems.some((p) => p.path.endsWith(path.join("ant", "zero.png")) && p.reason === "empty-file"));
  assert.match(ds.report.summary(), /3 image\(s\) skipped/);
  assert.equal(ds.splits, null);
  assert.ok(ds.items.every((i) => path.isAbsolute(i.path) && i.size > 0));

  // Decoding to a requested size.
  const sq = await decodeImage(ds.items[0]!.path, { square: 16 });
  assert.deepEqual([sq.width, sq.height, sq.data.length], [16, 16, 16 * 16 * 3]);
  const ss = await decodeImage(ds.items[3]!.path, { shorterSide: 40 });
  assert.deepEqual([ss.width, ss.height], [48, 40]);
  await assert.rejects(decodeImage(path.join(dir, "moth", "corrupt.jpg")));
});

test("unlabelled flat trees, split sub-folders and percentage splits", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  for (let i = 0; i < 6; i++) await writeImage(path.join(dir, "flat", i % 2 ? "deep" : "", `f${i}.png`), "png", i);
  const flat = await scanImageFolder({ root: path.join(dir, "flat"), labels: null });
  assert.equal(flat.items.length, 6);
  assert.equal(flat.classes, null);
  assert.ok(flat.items.every((i) => i.label === -1));

  for (const [split, n] of [["train", 4], ["val", 2]] as const) {
    for (let i = 0; i < n; i++) await writeImage(path.join(dir, "tv", split, i % 2 ? "cat" : "dog", `${i}.jpg`), "jpeg", i);
  }
  await writeImage(path.join(dir, "tv", "val", "eel", "e.jpg"), "jpeg", 9);
  const tv = await scanImageFolder({ root: path.join(dir, "tv"), splits: [{ name: "train", folder: "train" }, { name: "val", folder: "val" }] });
  assert.deepEqual(tv.classes, ["cat", "dog", "eel"]);
  assert.equal(tv.splits!["train"]!.length, 4);
  assert.equal(tv.splits!["val"]!.length, 3);
  assert.ok(tv.splits!["val"]!.every((i) => tv.items[i]!.rel.startsWith("val/")));
  await assert.rejects(scanImageFolder({ root: path.join(dir, "tv"), splits: [{ name: "train", folder: "train" }, { name: "test", folder: "test" }] }), (e: unknown) => e instanceof DataError && e.code === "split-missing");

  const pct = await scanImageFolder({ root: path.join(dir, "tv"), splits: [{ name: "a", fraction: 0.5 }, { name: "b", fraction: 0.5 }] });
  assert.equal(pct.splits!["a"]!.length + pct.splits!["b"]!.length, pct.items.length);
});

test("a missing, empty or wrong root is a typed error before anything runs", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const code = (c: string) => (e: unknown) => e instanceof DataError && e.code === c && typeof e.message === "string" && e.message.length > 10;
  await assert.rejects(scanImageFolder({ root: path.join(dir, "nope") }), code("root-missing"));
  await mkdir(path.join(dir, "empty", "cls"), { recursive: true });
  await assert.rejects(scanImageFolder({ root: path.join(dir, "empty") }), code("root-empty"));
  await writeFile(path.join(dir, "file.txt"), "x");
  await assert.rejects(scanImageFolder({ root: path.join(dir, "file.txt") }), code("not-a-folder"));
  await writeImage(path.join(dir, "two", "a", "1.png"), "png");
  await writeImage(path.join(dir, "two", "b", "1.png"), "png");
  await assert.rejects(scanImageFolder({ root: path.join(dir, "two"), classes: 3 }), code("class-count"));
  await writeEmpty(path.join(dir, "bad", "c", "1.png"));
  await writeGarbage(path.join(dir, "bad", "c", "2.png"));
  await assert.rejects(scanImageFolder({ root: path.join(dir, "bad") }), code("no-images"));
});

test("a file cut short after its header passes the scan (it is caught when decoded)", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeTruncatedJpeg(path.join(dir, "c", "cut.jpg"));
  await writeImage(path.join(dir, "c", "ok.jpg"), "jpeg");
  const ds = await scanImageFolder({ root: dir });
  assert.equal(ds.items.length, 2);
  await assert.rejects(decodeImage(ds.items[0]!.path));
});

test("decoding always gives 8-bit RGB: grey, alpha (flattened on black) and CMYK inputs", async () => {
  const sharp = (await import("sharp")).default;
  const grey = await sharp(Buffer.alloc(20 * 10, 128), { raw: { width: 20, height: 10, channels: 1 } }).png().toBuffer();
  const rgba = await sharp(Buffer.alloc(20 * 10 * 4, 200), { raw: { width: 20, height: 10, channels: 4 } }).png().toBuffer();
  const cmyk = await sharp(Buffer.alloc(20 * 10 * 3, 90), { raw: { width: 20, height: 10, channels: 3 } }).toColourspace("cmyk").jpeg().toBuffer();
  for (const [bytes, want] of [[grey, 128], [rgba, 157], [cmyk, 81]] as const) {
    const img = await decodeImage(bytes);
    assert.deepEqual([img.width, img.height, img.data.length], [20, 10, 600]);
    assert.ok([0, 1, 2].every((c) => Math.abs(img.data[c]! - want) <= 2), `got ${img.data.slice(0, 3)}`);
  }
});
