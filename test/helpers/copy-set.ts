/**
 * A small CopyDays-style set on disk, from the synthetic generator: `database/` holds
 * originals, `queries/` edited copies of them (cropped, rescaled, brightened, re-encoded as
 * JPEG) under the same file names, `distractors/` unrelated images.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { syntheticParams, syntheticSample } from "../../runtime/data/synthetic.js";

export interface CopySetOptions {
  originals: number;
  distractors: number;
  /** Side of the generated images in px. */
  size?: number;
}

function raw(pixels: Uint8Array, size: number): sharp.Sharp {
  return sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width: size, height: size, channels: 3 } });
}

export async function writeCopySet(root: string, o: CopySetOptions): Promise<void> {
  const size = o.size ?? 64;
  const originals = syntheticParams({ images: o.originals, size, classes: 10, seed: 7 });
  const distractors = syntheticParams({ images: o.distractors, size, classes: 10, seed: 8 });
  for (const sub of ["database", "queries", "distractors"]) await mkdir(path.join(root, sub), { recursive: true });
  const crop = Math.round(size * 0.8);
  for (let i = 0; i < o.originals; i++) {
    const px = syntheticSample(originals, i).pixels;
    await writeFile(path.join(root, "database", `${i}.png`), await raw(px, size).png().toBuffer());
    const offset = (i * 3) % (size - crop + 1);
    const copy = raw(px, size).extract({ left: offset, top: size - crop - offset, width: crop, height: crop }).resize(size, size).modulate({ brightness: 1.15 }).jpeg({ quality: 70 });
    await writeFile(path.join(root, "queries", `${i}.jpg`), await copy.toBuffer());
  }
  for (let i = 0; i < o.distractors; i++) await writeFile(path.join(root, "distractors", `d${i}.png`), await raw(syntheticSample(distractors, i).pixels, size).png().toBuffer());
}
