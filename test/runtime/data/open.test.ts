import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { DataError } from "../../../runtime/data/errors.js";
import { lowerRecipe } from "../../../compiler/lower/lower.js";
import { isKind, type Stage } from "../../../contract/graph.js";
import type { DatasetSpec } from "../../../contract/specs.js";
import { cropsFromSpec, openDataset, splitIndices } from "../../../runtime/data/open.js";
import { planDataset } from "../../../runtime/data/plan-sizes.js";
import { ROOT } from "../../helpers/paths.js";
import { tempDir, writeImage } from "./fixtures.js";

function quickstartStages(): Map<string, Stage> {
  const c = compile([path.join(ROOT, "recipes", "quickstart.seer")]);
  assert.deepEqual(c.diagnostics.filter((d) => d.severity === "error"), []);
  return new Map(lowerRecipe(c, c.program.roots[0]!, "test").stages.map((s) => [s.name, s]));
}

const datasetOf = (s: Stage | undefined): DatasetSpec => {
  assert.ok(s && isKind(s, "prepare-data"));
  return s.spec;
};

const imageFolder = (root: string): DatasetSpec => ({ kind: "image_folder", name: "pets", dir: "", attributes: [], root, labels: "folders", classes: null, splits: null, content_hash: false, images: null });

test("the quickstart recipe's stage specs open as datasets and crop groups", async () => {
  const stages = quickstartStages();
  const ds = await openDataset(datasetOf(stages.get("data/shapes")), { baseDir: ROOT });
  assert.equal(ds.kind, "synthetic");
  if (ds.kind !== "synthetic") return;
  assert.deepEqual({ images: ds.params.images, size: ds.params.size, groups: ds.params.groups, seed: ds.params.seed }, { images: 4000, size: 32, groups: 4, seed: 1 });
  assert.equal(ds.splits!["train"]!.length, 3200);
  assert.equal(splitIndices(ds, "test")!.length, 800);
  assert.equal(splitIndices(ds), null);
  assert.throws(() => splitIndices(ds, "val"), (e: unknown) => e instanceof DataError && e.code === "split-missing");
  assert.equal(ds.classes!.length, 10);
  assert.equal(ds.labels![13], 3);
  assert.equal(ds.attributes["group"]!.codes.length, 4000);
  assert.deepEqual(ds.attributes["group"]!.values, ["0", "1", "2", "3"]);

  const ds2 = await openDataset(datasetOf(stages.get("data/shapes_shifted")), { baseDir: ROOT });
  assert.notEqual(ds2.fingerprint.value, ds.fingerprint.value);
  assert.deepEqual(ds2.kind === "synthetic" && ds2.classes, ds.classes, "shifted data keeps the classes");

  const swav = stages.get("pretrain/swav_tiny");
  assert.ok(swav && isKind(swav, "pretrain-swav"));
  assert.deepEqual(cropsFromSpec(swav.spec.crops), [{ count: 2, size: 32, scale: [0.5, 1] }]);
});

test("a plan's dataset facts (fingerprint, images, split sizes) are those of the opened dataset", async (t) => {
  const stages = quickstartStages();
  const specs: DatasetSpec[] = [datasetOf(stages.get("data/shapes")), datasetOf(stages.get("data/shapes_shifted"))];
  const odd = datasetOf(stages.get("data/shapes"));
  if (odd.kind === "synthetic") specs.push({ ...odd, images: 1001, seed: 7, splits: [{ name: "a", fraction: 0.5 }, { name: "b", fraction: 0.3 }, { name: "c", fraction: 0.2 }] }, { ...odd, images: 77, splits: null });
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "data", "pets", "cat", "1.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "data", "pets", "dog", "2.png"), "png", 2);
  specs.push(imageFolder("data/pets"));
  for (const spec of specs) {
    const o = { baseDir: dir, fingerprint: { cacheFile: null } };
    const planned = await planDataset(spec, o);
    const ds = await openDataset(spec, o);
    assert.ok(ds.kind !== "copy_detection_set");
    assert.equal(planned.fingerprint, ds.fingerprint.value);
    assert.equal(planned.images, ds.kind === "synthetic" ? ds.params.images : ds.dataset.items.length);
    assert.deepEqual(planned.splits, Object.fromEntries(Object.entries(ds.splits ?? {}).map(([k, v]) => [k, v.length])));
  }
});

test("planning a ten-million-image synthetic dataset generates nothing", async () => {
  const spec = datasetOf(quickstartStages().get("data/shapes"));
  assert.ok(spec.kind === "synthetic");
  const t0 = performance.now();
  const planned = await planDataset({ ...spec, images: 10_000_000 }, { baseDir: ROOT });
  assert.deepEqual(planned.splits, { train: 8_000_000, test: 2_000_000 });
  assert.ok(performance.now() - t0 < 200, `${performance.now() - t0} ms`);
});

test("file datasets open relative to the recipe folder and are fingerprinted", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "data", "pets", "cat", "1.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "data", "pets", "dog", "2.png"), "png", 2);
  const ds = await openDataset(imageFolder("data/pets"), { baseDir: dir, fingerprint: { cacheFile: null } });
  assert.equal(ds.kind, "image_folder");
  if (ds.kind !== "image_folder") return;
  assert.deepEqual(ds.classes, ["cat", "dog"]);
  assert.deepEqual([...ds.labels!], [0, 1]);
  assert.equal(ds.source.kind, "files");
  assert.equal(ds.fingerprint.files, 2);
  await assert.rejects(openDataset(imageFolder("data/none"), { baseDir: dir }), (e: unknown) => e instanceof DataError && e.code === "root-missing");
});

test("an opened manifest carries its attribute columns as codes with their values; a folder has none", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  for (const [i, f] of ["a.png", "b.png", "c.png", "d.png"].entries()) await writeImage(path.join(dir, "street", f), "png", i);
  await writeFile(path.join(dir, "street", "images.csv"), "path,label,income,quintile\na.png,bed,low,10\nb.png,stove,high,2\nc.png,bed,\"medium, upper\",2\nd.png,stove,low,\n");
  const spec: DatasetSpec = { kind: "manifest", name: "street", dir: "", attributes: ["income", "quintile"], file: "street/images.csv", root: null, image: "path", label: "label", classes: null, splits: null, content_hash: false, images: null };
  const ds = await openDataset(spec, { baseDir: dir, fingerprint: { cacheFile: null } });
  assert.ok(ds.kind === "manifest");
  assert.deepEqual(Object.keys(ds.attributes), ["income", "quintile"]);
  const income = ds.attributes["income"]!;
  assert.deepEqual(income.values, ["high", "low", "medium, upper"]);
  assert.deepEqual([...income.codes].map((c) => income.values[c]), ["low", "high", "medium, upper", "low"]);
  // Numbers in numeric order, before other values (here the empty cell).
  const quintile = ds.attributes["quintile"]!;
  assert.deepEqual(quintile.values, ["2", "10", ""]);
  assert.deepEqual([...quintile.codes], [1, 0, 0, 2]);

  await writeImage(path.join(dir, "pets", "cat", "1.png"), "png", 1);
  const folder = await openDataset(imageFolder("pets"), { baseDir: dir, fingerprint: { cacheFile: null } });
  assert.deepEqual(folder.kind === "image_folder" && folder.attributes, {});
});
