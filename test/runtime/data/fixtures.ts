/** Temporary image trees for the data tests, written with sharp. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { derive } from "../../../runtime/data/rng.js";

/** A fresh temporary folder; removed by the returned cleanup. */
export async function tempDir(prefix = "seer-data-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Encoded bytes of a small deterministic picture (a colour gradient with noise). */
export async function imageBytes(format: "png" | "jpeg" | "webp", width = 24, height = 20, seed = 0): Promise<Buffer> {
  const rng = derive(seed, 0x74657374);
  const px = Buffer.alloc(width * height * 3);
  const base = [rng.int(0, 256), rng.int(0, 256), rng.int(0, 256)];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      px[o] = (base[0]! + x * 7) & 255;
      px[o + 1] = (base[1]! + y * 9) & 255;
      px[o + 2] = (base[2]! + rng.int(0, 40)) & 255;
    }
  }
  const img = sharp(px, { raw: { width, height, channels: 3 } });
  return format === "png" ? img.png().toBuffer() : format === "jpeg" ? img.jpeg({ quality: 90 }).toBuffer() : img.webp().toBuffer();
}

/** Writes an image file (creating folders), returning its path. */
export async function writeImage(file: string, format: "png" | "jpeg" | "webp", seed = 0, width = 24, height = 20): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, await imageBytes(format, width, height, seed));
  return file;
}

/** Writes bytes that are not an image (with an image extension). */
export async function writeGarbage(file: string, bytes = 300): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const rng = derive(bytes, 0x6a756e6b);
  await writeFile(file, Buffer.from(Array.from({ length: bytes }, () => rng.int(0, 256))));
  return file;
}

/** Writes a JPEG cut short after its header: identifiable, but decoding fails. */
export async function writeTruncatedJpeg(file: string, seed = 0): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const full = await imageBytes("jpeg", 64, 64, seed);
  await writeFile(file, full.subarray(0, Math.floor(full.length * 0.6)));
  return file;
}

/** Writes an empty file. */
export async function writeEmpty(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.alloc(0));
  return file;
}
