import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { fingerprintDataset, fingerprintFolder } from "../../../runtime/data/fingerprint.js";
import { scanManifest } from "../../../runtime/data/manifest.js";
import { tempDir, writeImage } from "./fixtures.js";

test("folder fingerprints: stable, cached atomically, and content fingerprints ignore times", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const root = path.join(dir, "ds");
  const cacheFile = path.join(dir, "cache", "fp.json");
  await writeImage(path.join(root, "a", "1.png"), "png", 1);
  await writeImage(path.join(root, "b", "2.jpg"), "jpeg", 2);
  const f1 = await fingerprintFolder(root, { cacheFile });
  assert.match(f1.value, /^sha256:[0-9a-f]{64}$/);
  assert.equal(f1.files, 2);
  assert.deepEqual(await fingerprintFolder(root, { cacheFile }), f1);
  assert.deepEqual(await fingerprintFolder(root, { cacheFile: null }), f1);
  const cache = JSON.parse(await readFile(cacheFile, "utf8")) as { version: number; entries: Record<string, { value: string }> };
  assert.equal(cache.version, 1);
  assert.ok(Object.values(cache.entries).some((e) => e.value === f1.value));
  assert.deepEqual((await readdir(path.dirname(cacheFile))).filter((f) => f.endsWith(".tmp")), [], "no temp files left");

  // Content hashing differs from stat hashing, and is cached too.
  const c1 = await fingerprintFolder(root, { cacheFile, contentHash: true });
  assert.ok(c1.content && c1.value !== f1.value);
  assert.deepEqual(await fingerprintFolder(root, { cacheFile, contentHash: true }), c1);

  // Touching a file changes the plain fingerprint but not the content one (copies on other machines match).
  const file = path.join(root, "a", "1.png");
  await utimes(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
  const f2 = await fingerprintFolder(root, { cacheFile });
  assert.notEqual(f2.value, f1.value);
  assert.equal((await fingerprintFolder(root, { cacheFile, contentHash: true })).value, c1.value);

  // New content of the same size: both change.
  const flipped = await readFile(file);
  flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0xff;
  await writeFile(file, flipped);
  const f3 = await fingerprintFolder(root, { cacheFile });
  assert.notEqual(f3.value, f2.value);
  assert.notEqual((await fingerprintFolder(root, { cacheFile, contentHash: true })).value, c1.value);

  // An added file.
  await writeImage(path.join(root, "b", "3.png"), "png", 3);
  const f4 = await fingerprintFolder(root, { cacheFile });
  assert.notEqual(f4.value, f3.value);
  assert.equal(f4.files, 3);
});

test("a manifest's text is part of its dataset's fingerprint", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "1.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "2.jpg"), "jpeg", 2);
  const file = path.join(dir, "m.csv");
  await writeFile(file, "path,label\n1.jpg,a\n2.jpg,b\n");
  const a = await fingerprintDataset(await scanManifest({ file }), { cacheFile: null });
  await writeFile(file, "path,label\n1.jpg,b\n2.jpg,a\n");
  const b = await fingerprintDataset(await scanManifest({ file }), { cacheFile: null });
  assert.notEqual(a.value, b.value);
  assert.equal(a.files, 2);
});
