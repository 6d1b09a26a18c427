/**
 * Contact sheets of synthetic samples (or any RGB images) as PNG, to look at the data.
 *
 *   node build/runtime/data/preview.js OUT.png [--size 32] [--classes 10] [--per-class 12]
 *        [--shift 0] [--seed 1] [--groups 1] [--scale 3]
 *
 * One row per class, `per-class` samples of that class per row.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { encodePng, rgbImage, type RgbImage } from "./image.js";
import { SyntheticDataset, type SyntheticParams } from "./synthetic.js";

/** Tiles equally sized images into rows of `cols`, each upscaled `scale`× (nearest), with a gap. */
export function contactSheet(images: readonly RgbImage[], cols: number, scale = 1, gap = 2, gapValue = 255): RgbImage {
  const first = images[0];
  if (!first) throw new RangeError("contactSheet: no images");
  const w = first.width * scale, h = first.height * scale;
  const rows = Math.ceil(images.length / cols);
  const W = cols * w + (cols + 1) * gap, H = rows * h + (rows + 1) * gap;
  const out = rgbImage(W, H, new Uint8Array(W * H * 3).fill(gapValue));
  images.forEach((img, n) => {
    if (img.width !== first.width || img.height !== first.height) throw new RangeError("contactSheet: images differ in size");
    const ox = gap + (n % cols) * (w + gap), oy = gap + Math.floor(n / cols) * (h + gap);
    for (let y = 0; y < h; y++) {
      const sy = Math.floor(y / scale);
      for (let x = 0; x < w; x++) {
        const s = (sy * img.width + Math.floor(x / scale)) * 3, d = ((oy + y) * W + ox + x) * 3;
        out.data[d] = img.data[s]!;
        out.data[d + 1] = img.data[s + 1]!;
        out.data[d + 2] = img.data[s + 2]!;
      }
    }
  });
  return out;
}

/** A sheet of synthetic samples: one row per class (at most `maxClasses` rows). */
export function syntheticSheet(params: Partial<SyntheticParams> & { images: number }, perClass: number, scale: number, maxClasses = 20): RgbImage {
  const ds = new SyntheticDataset(params);
  const { classes, size } = ds.params;
  const rows = Math.min(classes, maxClasses);
  const images: RgbImage[] = [];
  for (let c = 0; c < rows; c++) {
    for (let j = 0; j < perClass; j++) {
      const i = c + j * classes;
      images.push(i < ds.length ? rgbImage(size, size, ds.get(i).pixels) : rgbImage(size, size));
    }
  }
  return contactSheet(images, perClass, scale);
}

async function main(argv: string[]): Promise<void> {
  const out = argv[0];
  if (!out || out.startsWith("--")) throw new Error("usage: preview OUT.png [--size N] [--classes N] [--per-class N] [--shift X] [--seed N] [--groups N] [--scale N]");
  const opt = (name: string, dflt: number): number => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : dflt;
  };
  const classes = opt("classes", 10), perClass = opt("per-class", 12);
  const sheet = syntheticSheet(
    { images: classes * perClass, size: opt("size", 32), classes, shift: opt("shift", 0), seed: opt("seed", 1), groups: opt("groups", 1) },
    perClass,
    opt("scale", 3),
  );
  await writeFile(out, await encodePng(sheet));
  console.log(`wrote ${out} (${sheet.width}x${sheet.height})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
