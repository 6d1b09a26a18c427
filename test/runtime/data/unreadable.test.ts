/** A stage's unreadable images: the list both engines write, as published (relative, sorted, capped) and read back. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describeUnreadable, mergeUnreadable, publishedUnreadable, readUnreadable, unreadableOf, UNREADABLE_FILE, UNREADABLE_LISTED, writeUnreadable } from "../../../runtime/data/unreadable.js";
import { tempDir } from "./fixtures.js";

test("published: paths relative to the dataset root, sorted, the first 100 listed and all counted; read back as written", async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const root = path.join(dir, "images");
  const problems = Array.from({ length: 150 }, (_, i) => ({ path: path.join(root, "c", `${String(149 - i).padStart(3, "0")}.jpg`), reason: "unreadable" as const, detail: "VipsJpeg: premature end of JPEG image" }));
  problems.push({ path: "/elsewhere/x.png", reason: "unreadable", detail: "" });
  const u = publishedUnreadable(unreadableOf(problems), root);
  assert.equal(u.count, 151);
  assert.equal(u.files.length, UNREADABLE_LISTED);
  assert.deepEqual(u.files.slice(0, 2), [{ path: "/elsewhere/x.png", reason: "unreadable" }, { path: "c/000.jpg", reason: "VipsJpeg: premature end of JPEG image" }]);
  assert.equal(describeUnreadable(u, 2), "151 images could not be read and were replaced by the next image: /elsewhere/x.png (unreadable), c/000.jpg (VipsJpeg: premature end of JPEG image), and 149 more");

  assert.equal(readUnreadable(dir), null);
  writeUnreadable(dir, { count: 0, files: [] });
  assert.equal(readUnreadable(dir), null, "nothing is written for a clean stage");
  writeUnreadable(dir, u);
  assert.deepEqual(readUnreadable(dir), u);
  writeFileSync(path.join(dir, UNREADABLE_FILE), "{\"count\": \"two\"}");
  assert.equal(readUnreadable(dir), null);
});

test("an attempt resumed in the same work folder keeps the files earlier attempts met, each once", () => {
  const a = { count: 2, files: [{ path: "/d/a.png", reason: "x" }, { path: "/d/b.png", reason: "y" }] };
  const b = { count: 2, files: [{ path: "/d/b.png", reason: "z" }, { path: "/d/c.png", reason: "w" }] };
  assert.deepEqual(mergeUnreadable(a, b), { count: 3, files: [...a.files, { path: "/d/c.png", reason: "w" }] });
  assert.deepEqual(mergeUnreadable(null, b), b);
  assert.equal(describeUnreadable({ count: 1, files: [{ path: "red/3.png", reason: "pngload: end of stream" }] }), "1 image could not be read and was replaced by the next image: red/3.png (pngload: end of stream)");
});
