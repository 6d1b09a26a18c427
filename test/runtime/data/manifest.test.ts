import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCsv, parseJsonl } from "../../../runtime/data/csv.js";
import { DataError } from "../../../runtime/data/errors.js";
import { scanManifest } from "../../../runtime/data/manifest.js";
import { tempDir, writeEmpty, writeImage } from "./fixtures.js";

test("CSV parsing: quotes, escaped quotes, commas and newlines inside quotes, CRLF, BOM", () => {
  const t = parseCsv('\ufeffpath,label,"note"\r\na.jpg,cat,"hello, ""world"""\r\n"b c.jpg",dog,"two\nlines"\n\nc.jpg,,""\n', "m.csv");
  assert.deepEqual(t.columns, ["path", "label", "note"]);
  assert.deepEqual(t.rows.map((r) => r.values), [
    { path: "a.jpg", label: "cat", note: 'hello, "world"' },
    { path: "b c.jpg", label: "dog", note: "two\nlines" },
    { path: "c.jpg", label: "", note: "" },
  ]);
  assert.deepEqual(t.rows.map((r) => r.line), [2, 3, 6]);
  assert.throws(() => parseCsv('a,b\n"x,1\n', "m.csv"), (e: unknown) => e instanceof DataError && e.code === "manifest-parse");
  assert.throws(() => parseCsv("a,b\n1,2,3\n", "m.csv"), /3 fields/);
  const j = parseJsonl('{"path":"a.jpg","label":3,"region":"Europe"}\n\n{"path":"b.jpg","label":1,"region":null}\n', "m.jsonl");
  assert.deepEqual(j.columns, ["path", "label", "region"]);
  assert.deepEqual(j.rows[1]!.values, { path: "b.jpg", label: "1" });
  assert.throws(() => parseJsonl("{oops}\n", "m.jsonl"), /m.jsonl:1: not valid JSON/);
});

test("CSV manifest: paths relative to the manifest, string labels sorted, attributes, problems reported", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "img", "1.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "img", "2.png"), "png", 2);
  await writeImage(path.join(dir, "img", "3 x.jpg"), "jpeg", 3);
  await writeEmpty(path.join(dir, "img", "4.jpg"));
  await writeFile(
    path.join(dir, "images.csv"),
    'path,label,income,region\nimg/1.jpg,stove,low,Africa\nimg/2.png,bed,high,Europe\n"img/3 x.jpg",stove,"medium, upper",Asia\nimg/4.jpg,bed,low,Asia\nimg/missing.jpg,bed,low,Asia\n,bed,low,Asia\n',
  );
  const ds = await scanManifest({ file: path.join(dir, "images.csv"), attributes: ["income", "region"] });
  assert.deepEqual(ds.classes, ["bed", "stove"]);
  assert.deepEqual(ds.items.map((i) => [i.rel, i.label, i.attributes["income"], i.attributes["region"]]), [
    ["img/1.jpg", 1, "low", "Africa"],
    ["img/2.png", 0, "high", "Europe"],
    ["img/3 x.jpg", 1, "medium, upper", "Asia"],
  ]);
  assert.deepEqual(ds.report.counts(), { "empty-file": 1, missing: 1, "bad-row": 1 });
  assert.ok(ds.report.problems.some((p) => p.reason === "bad-row" && p.path.endsWith("images.csv:7")));
  assert.equal(ds.manifest, path.join(dir, "images.csv"));

  await assert.rejects(scanManifest({ file: path.join(dir, "images.csv"), attributes: ["age"] }), (e: unknown) => e instanceof DataError && e.code === "manifest-column" && /`age`/.test(e.message));
  await assert.rejects(scanManifest({ file: path.join(dir, "nope.csv") }), (e: unknown) => e instanceof DataError && e.code === "manifest-missing");
  await assert.rejects(scanManifest({ file: path.join(dir, "images.csv"), attributes: ["income"], classes: 5 }), (e: unknown) => e instanceof DataError && e.code === "class-count");
});

test("JSONL manifest: a separate root, integer labels as indices, split column, unlabelled", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "data", "a.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "data", "b.jpg"), "jpeg", 2);
  await writeImage(path.join(dir, "data", "c.webp"), "webp", 3);
  const lines = [
    { file: "a.jpg", y: 4, split: "tr", group: "g1" },
    { file: "b.jpg", y: 0, split: "te", group: "g2" },
    { file: "c.webp", y: 4, split: "tr", group: 7 },
  ];
  await writeFile(path.join(dir, "meta", "m.jsonl").replace("meta/", ""), lines.map((l) => JSON.stringify(l)).join("\n"));
  const ds = await scanManifest({ file: path.join(dir, "m.jsonl"), root: path.join(dir, "data"), image: "file", label: "y", attributes: ["group"], classes: 10, splits: [{ name: "train", folder: "tr" }, { name: "test", folder: "te" }] });
  assert.equal(ds.classes!.length, 10);
  assert.deepEqual(ds.items.map((i) => i.label), [4, 0, 4]);
  assert.deepEqual(ds.items.map((i) => i.attributes["group"]), ["g1", "g2", "7"]);
  assert.deepEqual(ds.splits, { train: [0, 2], test: [1] });
  const un = await scanManifest({ file: path.join(dir, "m.jsonl"), root: path.join(dir, "data"), image: "file", label: null });
  assert.equal(un.classes, null);
  assert.ok(un.items.every((i) => i.label === -1));
});

test("integer labels: a huge one is refused with a clear error (no class-name array of that size); 200,000 distinct ones do not overflow the stack (issue #15)", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "a.jpg"), "jpeg", 1);
  await writeFile(path.join(dir, "huge.csv"), "path,label\na.jpg,999999999\n");
  await assert.rejects(scanManifest({ file: path.join(dir, "huge.csv"), verify: false }), (e: unknown) => e instanceof DataError && e.code === "class-count" && /integer label 999999999; integer labels are class indices, at most 999,999/.test(e.message));
  const rows = Array.from({ length: 200_000 }, (_, i) => `a.jpg,${i}`).join("\n");
  await writeFile(path.join(dir, "many.csv"), `path,label\n${rows}\n`);
  const ds = await scanManifest({ file: path.join(dir, "many.csv"), verify: false });
  assert.equal(ds.classes?.length, 200_000);
});

test("manifest paths that leave the manifest's root (../, absolute elsewhere) are skipped and reported as outside-root (issue #15)", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeImage(path.join(dir, "data", "in.jpg"), "jpeg", 1);
  await writeImage(path.join(dir, "secret.jpg"), "jpeg", 2);
  await writeImage(path.join(dir, "secret2.jpg"), "jpeg", 3);
  await writeFile(path.join(dir, "data", "m.csv"), `path,label\nin.jpg,a\n../secret.jpg,b\n${path.join(dir, "secret2.jpg")},b\n`);
  const ds = await scanManifest({ file: path.join(dir, "data", "m.csv") });
  assert.deepEqual(ds.items.map((i) => i.rel), ["in.jpg"]);
  const outside = ds.report.problems.filter((p) => p.reason === "outside-root");
  assert.equal(outside.length, 2);
  assert.deepEqual(outside.map((p) => path.basename(p.path)).sort(), ["secret.jpg", "secret2.jpg"]);
});
