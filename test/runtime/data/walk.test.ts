/** Symbolic links in image folders: followed, but every real folder and image read once; loops and repeats reported, not walked. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { symlink } from "node:fs/promises";
import path from "node:path";
import { scanCopyDetection } from "../../../runtime/data/copy-detection.js";
import { scanImageFolder } from "../../../runtime/data/image-folder.js";
import { describeLink } from "../../../runtime/data/links.js";
import { listImages, walkImages } from "../../../runtime/data/walk.js";
import { tempDir, writeImage } from "./fixtures.js";

/** `cat/0..n-1.png` and `dog/0..n-1.png` under `dir`. */
async function twoClasses(dir: string, n = 3): Promise<void> {
  for (const c of ["cat", "dog"]) for (let i = 0; i < n; i++) await writeImage(path.join(dir, c, `${i}.png`), "png", i);
}

const rels = (ds: { items: readonly { rel: string; label: number }[] }) => ds.items.map((i) => `${i.rel}:${i.label}`);

test("a link back to an ancestor is a loop: not walked, reported, and the images are counted once", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await twoClasses(dir);
  await symlink("..", path.join(dir, "cat", "up"));
  const ds = await scanImageFolder({ root: dir, splits: [{ name: "train", fraction: 0.5 }, { name: "test", fraction: 0.5 }] });
  assert.deepEqual(rels(ds), ["cat/0.png:0", "cat/1.png:0", "cat/2.png:0", "dog/0.png:1", "dog/1.png:1", "dog/2.png:1"]);
  assert.equal(ds.splits!["train"]!.length + ds.splits!["test"]!.length, 6);
  assert.equal(ds.report.links.length, 1);
  const l = ds.report.links[0]!;
  assert.deepEqual([l.path, l.reason, l.readAs], [path.join(dir, "cat", "up"), "loop", dir]);
  assert.match(describeLink(l, dir), /^cat\/up -> .+: a loop back to the dataset root, which holds the link$/);
  assert.equal(ds.report.count, 0, "links are not image problems");
});

test("two loop links walk in milliseconds, not exponentially", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await twoClasses(dir, 30);
  await symlink("..", path.join(dir, "cat", "up"));
  await symlink("..", path.join(dir, "dog", "up"));
  await symlink(path.join("..", "dog"), path.join(dir, "cat", "dogs"));
  const t0 = performance.now();
  const ds = await scanImageFolder({ root: dir, verify: false });
  const ms = performance.now() - t0;
  assert.equal(ds.items.length, 60);
  assert.deepEqual(ds.report.links.map((l) => [path.relative(dir, l.path), l.reason]), [["cat/dogs", "repeat"], ["cat/up", "loop"], ["dog/up", "loop"]]);
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
});

test("a link to a folder read already (another class, or a split's) is a repeat; one to a folder read nowhere else is followed", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await twoClasses(path.join(dir, "photos"), 2);
  await writeImage(path.join(dir, "outside", "o.png"), "png", 9);
  // `ant` sorts before `cat`: the class folder is still read at its own place, and the link is the repeat.
  await symlink(path.join("..", "cat"), path.join(dir, "photos", "dog", "cats"));
  await symlink("cat", path.join(dir, "photos", "ant"));
  await symlink(path.join("..", "..", "outside"), path.join(dir, "photos", "dog", "more"));
  const ds = await scanImageFolder({ root: path.join(dir, "photos") });
  assert.deepEqual(ds.classes, ["cat", "dog"]);
  assert.deepEqual(rels(ds), ["cat/0.png:0", "cat/1.png:0", "dog/0.png:1", "dog/1.png:1", "dog/more/o.png:1"]);
  assert.deepEqual(ds.report.links.map((l) => [path.relative(path.join(dir, "photos"), l.path), l.reason, path.relative(path.join(dir, "photos"), l.readAs)]), [["ant", "repeat", "cat"], ["dog/cats", "repeat", "cat"]]);

  // Named splits are walked together: a link from test into train is a repeat.
  const { dir: d2, cleanup: c2 } = await tempDir();
  t.after(c2);
  await twoClasses(path.join(d2, "train"), 2);
  await twoClasses(path.join(d2, "test"), 1);
  await symlink(path.join("..", "..", "train", "cat"), path.join(d2, "test", "cat", "more"));
  const split = await scanImageFolder({ root: d2, splits: [{ name: "train", folder: "train" }, { name: "test", folder: "test" }] });
  assert.deepEqual(split.splits, { train: [0, 1, 2, 3], test: [4, 5] });
  assert.deepEqual(split.report.links.map((l) => [path.relative(d2, l.path), l.reason]), [["test/cat/more", "repeat"]]);
});

test("a link to an image is counted once, at the image's own place when the walk reaches it directly", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await twoClasses(path.join(dir, "photos"), 1);
  await writeImage(path.join(dir, "pool", "p.png"), "png", 7);
  await symlink(path.join("..", "dog", "0.png"), path.join(dir, "photos", "cat", "alias.png"));
  await symlink(path.join("..", "..", "pool", "p.png"), path.join(dir, "photos", "cat", "p1.png"));
  await symlink(path.join("..", "..", "pool", "p.png"), path.join(dir, "photos", "dog", "p2.png"));
  const ds = await scanImageFolder({ root: path.join(dir, "photos") });
  assert.deepEqual(rels(ds), ["cat/0.png:0", "cat/p1.png:0", "dog/0.png:1"]);
  assert.deepEqual(ds.report.links.map((l) => [path.relative(dir, l.path), l.reason, path.relative(dir, l.readAs)]), [["photos/cat/alias.png", "repeat", "photos/dog/0.png"], ["photos/dog/p2.png", "repeat", "photos/cat/p1.png"]]);
  assert.deepEqual((await listImages(path.join(dir, "photos"))).map((e) => e.rel), ["cat/0.png", "cat/p1.png", "dog/0.png"]);
});

test("a copy-detection set's parts are walked together; a dangling link is ignored as before", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  for (let i = 0; i < 2; i++) {
    await writeImage(path.join(dir, "queries", `${i}.jpg`), "jpeg", i);
    await writeImage(path.join(dir, "database", `${i}.png`), "png", i);
  }
  await symlink(path.join("..", "queries"), path.join(dir, "database", "q"));
  await symlink("nowhere.png", path.join(dir, "database", "dangling.png"));
  const set = await scanCopyDetection({ root: dir });
  assert.deepEqual(set.database.map((d) => d.rel), ["database/0.png", "database/1.png"]);
  assert.deepEqual(set.report.links.map((l) => [path.relative(dir, l.path), l.reason]), [["database/q", "repeat"]]);
  const w = await walkImages([path.join(dir, "queries"), path.join(dir, "database")]);
  assert.deepEqual(w.files.map((f) => f.length), [2, 2]);
});
