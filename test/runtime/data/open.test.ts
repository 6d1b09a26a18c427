import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { DataError } from "../../../runtime/data/errors.js";
import { cropsFromRecipe, openDataset, splitIndices } from "../../../runtime/data/open.js";
import { ROOT } from "../../helpers/paths.js";
import { tempDir, writeImage } from "./fixtures.js";

function quickstartValues(): Map<string, { ctor: string; value: Record<string, unknown> }> {
  const c = compile([path.join(ROOT, "recipes", "quickstart.seer")]);
  assert.deepEqual(c.diagnostics.filter((d) => d.severity === "error"), []);
  const out = new Map<string, { ctor: string; value: Record<string, unknown> }>();
  for (const [info, d] of c.check.decls) out.set(info.name, { ctor: d.ctor.name, value: d.value as Record<string, unknown> });
  return out;
}

test("the quickstart recipe's checked values open as datasets and crop groups", async () => {
  const decls = quickstartValues();
  const shapes = decls.get("shapes")!;
  const ds = await openDataset(shapes.ctor, shapes.value, { baseDir: ROOT });
  assert.equal(ds.kind, "synthetic");
  if (ds.kind !== "synthetic") return;
  assert.deepEqual({ images: ds.params.images, size: ds.params.size, groups: ds.params.groups, seed: ds.params.seed }, { images: 4000, size: 32, groups: 4, seed: 1 });
  assert.equal(ds.splits!["train"]!.length, 3200);
  assert.equal(splitIndices(ds, "test")!.length, 800);
  assert.equal(splitIndices(ds), null);
  assert.throws(() => splitIndices(ds, "val"), (e: unknown) => e instanceof DataError && e.code === "split-missing");
  assert.equal(ds.classes!.length, 10);
  assert.equal(ds.labels![13], 3);
  assert.equal(ds.groups.length, 4000);

  const shifted = decls.get("shapes_shifted")!;
  const ds2 = await openDataset(shifted.ctor, shifted.value, { baseDir: ROOT });
  assert.notEqual(ds2.fingerprint.value, ds.fingerprint.value);
  assert.deepEqual(ds2.kind === "synthetic" && ds2.classes, ds.classes, "shifted data keeps the classes");

  const swav = decls.get("swav_tiny")!;
  assert.deepEqual(cropsFromRecipe(swav.value["crops"]), [{ count: 2, size: 32, scale: [0.5, 1] }]);
});

test("file datasets open relative to the recipe folder and are fingerprinted", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "data", "pets", "cat", "1.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "data", "pets", "dog", "2.png"), "png", 2);
  const ds = await openDataset("image_folder", { root: "data/pets", labels: "folders", content_hash: false }, { baseDir: dir, fingerprint: { cacheFile: null } });
  assert.equal(ds.kind, "image_folder");
  if (ds.kind !== "image_folder") return;
  assert.deepEqual(ds.classes, ["cat", "dog"]);
  assert.deepEqual([...ds.labels!], [0, 1]);
  assert.equal(ds.source.kind, "files");
  assert.equal(ds.fingerprint.files, 2);
  await assert.rejects(openDataset("image_folder", { root: "data/none" }, { baseDir: dir }), (e: unknown) => e instanceof DataError && e.code === "root-missing");
});
