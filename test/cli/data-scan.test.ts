/**
 * `seer data scan` end to end: a dirty image folder (two classes; grey, RGBA, 16-bit and CMYK
 * images; a zero-byte file, a text file named .jpg, a truncated PNG, two byte-identical images
 * in different classes, a symbolic link loop) counted exactly, in text and in JSON.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { seer } from "../helpers/cli.js";

/** Raw pixels of a w x h image with c channels, a pattern seeded by f. */
const pixels = (w: number, h: number, c: number, f: number): Buffer => Buffer.from(Array.from({ length: w * h * c }, (_, i) => (i * f) % 251));
const raw = (w: number, h: number, c: 1 | 3 | 4, f: number) => sharp(pixels(w, h, c, f), { raw: { width: w, height: h, channels: c } });

async function dirtyFolder(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-scan-"));
  const at = (...p: string[]) => path.join(dir, ...p);
  mkdirSync(at("cat"));
  mkdirSync(at("dog"));
  await raw(16, 16, 3, 7).png().toFile(at("cat", "a.png"));
  await raw(20, 12, 3, 5).jpeg().toFile(at("cat", "b.jpg"));
  await raw(8, 8, 1, 3).toColourspace("b-w").png().toFile(at("cat", "grey.png"));
  await raw(24, 24, 3, 9).toColourspace("cmyk").jpeg().toFile(at("cat", "print.jpeg"));
  await raw(10, 30, 4, 11).png().toFile(at("dog", "rgba.png"));
  await raw(16, 16, 3, 13).toColourspace("rgb16").png().toFile(at("dog", "deep.png"));
  writeFileSync(at("dog", "empty.png"), "");
  writeFileSync(at("dog", "notes.jpg"), "not an image\n");
  const whole = await raw(64, 64, 3, 17).png().toBuffer();
  writeFileSync(at("cat", "cut.png"), whole.subarray(0, whole.length >> 1));
  copyFileSync(at("cat", "a.png"), at("dog", "copy.png"));
  symlinkSync("..", at("dog", "up"));
  writeFileSync(at("README.txt"), "not read: not an image file name\n");
  return dir;
}

test("data scan: counts, sizes, formats, colour, depth, unusable files by reason, duplicates and loops, in text and JSON", async () => {
  const dir = await dirtyFolder();
  const copy = readFileSync(path.join(dir, "cat", "a.png")).length;
  const bytes = ["cat/a.png", "cat/b.jpg", "cat/grey.png", "cat/print.jpeg", "cat/cut.png", "dog/rgba.png", "dog/deep.png", "dog/empty.png", "dog/notes.jpg", "dog/copy.png"].reduce((n, f) => n + readFileSync(path.join(dir, f)).length, 0);

  const j = seer(["data", "scan", dir, "--json"]);
  assert.equal(j.code, 0, j.stderr);
  assert.equal(j.stderr, "");
  const r = JSON.parse(j.stdout) as Record<string, unknown> & { seconds: number; problems: { reasons: Record<string, { files: { detail: string }[] }> } };
  assert.equal(typeof r.seconds, "number");
  const corrupt = r.problems.reasons["corrupt"]!.files[0]!.detail;
  assert.match(corrupt, /end of stream|truncat|premature/i);
  assert.deepEqual({ ...r, seconds: 0 }, {
    version: 1,
    root: dir,
    manifest: null,
    files: 10,
    bytes,
    images: 7,
    classes: { count: 2, images: { cat: 4, dog: 3 } },
    unlabelled: 0,
    sizes: { width: { min: 8, median: 16, max: 24 }, height: { min: 8, median: 16, max: 30 } },
    formats: { jpeg: 2, png: 5 },
    colour: { CMYK: 1, RGB: 4, RGBA: 1, grayscale: 1 },
    bit_depth: { "8": 6, "16": 1 },
    problems: {
      count: 3,
      reasons: {
        "empty-file": { count: 1, files: [{ path: "dog/empty.png", detail: "0 bytes" }] },
        "not-an-image": { count: 1, files: [{ path: "dog/notes.jpg", detail: "Input buffer contains unsupported image format" }] },
        corrupt: { count: 1, files: [{ path: "cat/cut.png", detail: corrupt }] },
      },
    },
    duplicates: { groups: 1, files: 2, extra_bytes: copy, list: [["cat/a.png", "dog/copy.png"]] },
    links: [{ path: "dog/up", target: dir, reason: "loop", read_as: "." }],
    seconds: 0,
  });

  const t = seer(["data", "scan", dir]);
  assert.equal(t.code, 0, t.stderr);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  assert.equal(
    t.stdout.replace(/ in \d+\.\d\d s\n/, " in S s\n"),
    [
      `Scanned ${dir} in S s`,
      `  files       10 (${kib(bytes)}): 7 images decode, 3 files unusable`,
      "  classes     2: cat 4, dog 3",
      "  width       8 / 16 / 24 px (min / median / max)",
      "  height      8 / 16 / 30 px (min / median / max)",
      "  formats     jpeg 2, png 5",
      "  colour      CMYK 1, RGB 4, RGBA 1, grayscale 1",
      "  bit depth   8-bit 6, 16-bit 1",
      "Unusable: empty-file (1)",
      "  dog/empty.png: 0 bytes",
      "Unusable: not-an-image (1)",
      "  dog/notes.jpg: Input buffer contains unsupported image format",
      "Unusable: corrupt (1)",
      `  cat/cut.png: ${corrupt}`,
      `Duplicates: 1 group of byte-identical files (2 files, ${copy} B in copies)`,
      "  cat/a.png = dog/copy.png",
      "Symbolic links not followed (1):",
      `  dog/up -> ${dir}: a loop back to the dataset root, which holds the link`,
      "",
    ].join("\n"),
  );
});

test("data scan: a manifest's files, its bad rows, files outside its root and missing files", async () => {
  const dir = await dirtyFolder();
  const csv = ["path,label", "cat/a.png,cat", "dog/copy.png,dog", "dog/notes.jpg,dog", "gone.png,cat", "../outside.png,cat", ",dog", "cat/grey.png,"].join("\n");
  writeFileSync(path.join(dir, "manifest.csv"), `${csv}\n`);
  const j = seer(["data", "scan", path.join(dir, "manifest.csv"), "--json"]);
  assert.equal(j.code, 0, j.stderr);
  const r = JSON.parse(j.stdout) as Record<string, unknown>;
  const { root, manifest, files, images, classes, unlabelled, problems, duplicates, links } = r;
  assert.deepEqual({ root, manifest, files, images, classes, unlabelled, problems, duplicates, links }, {
    root: dir,
    manifest: path.join(dir, "manifest.csv"),
    files: 4,
    images: 3,
    classes: { count: 2, images: { cat: 1, dog: 1 } },
    unlabelled: 1,
    problems: {
      count: 4,
      reasons: {
        "bad-row": { count: 1, files: [{ path: "manifest.csv:7", detail: "no `path` value" }] },
        "outside-root": { count: 1, files: [{ path: path.resolve(dir, "..", "outside.png"), detail: `listed at manifest.csv:6, outside the manifest's root ${dir}` }] },
        missing: { count: 1, files: [{ path: "gone.png", detail: "listed at manifest.csv:5" }] },
        "not-an-image": { count: 1, files: [{ path: "dog/notes.jpg", detail: "Input buffer contains unsupported image format" }] },
      },
    },
    duplicates: { groups: 1, files: 2, extra_bytes: readFileSync(path.join(dir, "cat", "a.png")).length, list: [["cat/a.png", "dog/copy.png"]] },
    links: [],
  });
  const t = seer(["data", "scan", path.join(dir, "manifest.csv")]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, new RegExp(`^Scanned ${path.join(dir, "manifest.csv").replace(/[.]/g, "\\.")} in `));
  assert.match(t.stdout, /\nUnusable: missing \(1\)\n  gone\.png: listed at manifest\.csv:5\n/);
  assert.equal(seer(["data", "scan", path.join(dir, "cat", "a.png")]).code, 3, "a file that is no manifest");
});

test("data scan: a missing path exits 3, a missing argument or unknown flag 2", () => {
  const missing = path.join(tmpdir(), "seer-scan-no-such-folder");
  const r = seer(["data", "scan", missing]);
  assert.equal(r.code, 3);
  assert.equal(r.stderr, `seer: The dataset root ${missing} does not exist.\n`);
  assert.equal(seer(["data", "scan"]).code, 2);
  assert.equal(seer(["data", "scan", tmpdir(), "--bogus"]).code, 2);
  const help = seer(["data", "scan", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /seer data scan data\/photos --json/);
});

test("data scan: an empty folder is scanned (exit 0) with zero counts", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-scan-empty-"));
  const r = seer(["data", "scan", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { files: number; images: number; sizes: unknown; duplicates: { groups: number } };
  assert.deepEqual([j.files, j.images, j.sizes, j.duplicates.groups], [0, 0, null, 0]);
});
