/**
 * Contact sheets of synthetic samples (or any RGB images) as PNG, to look at the data.
 *
 *   node build/runtime/data/preview.js OUT.png [--size 32] [--classes 10] [--per-class 12]
 *        [--shift 0] [--seed 1] [--groups 1] [--scale 3] [--augment]
 *
 * One row per class, `per-class` samples of that class per row; with --augment, one row
 * per image: the image, then its SwAV crops (2 large + 6 small, small ones shown enlarged).
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Augmenter, IMAGENET_MEAN, IMAGENET_STD, type CropSpec } from "./augment.js";
import { encodePng, rgbImage, type RgbImage } from "./image.js";
import { derive } from "./rng.js";
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

/** Undoes the normalisation of a crop and enlarges it (nearest) to `side` px. */
function cropToImage(buf: Float32Array, size: number, side: number): RgbImage {
  const img = rgbImage(side, side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const s = (Math.floor((y * size) / side) * size + Math.floor((x * size) / side)) * 3;
      for (let c = 0; c < 3; c++) img.data[(y * side + x) * 3 + c] = Math.round(Math.min(1, Math.max(0, buf[s + c]! * IMAGENET_STD[c]! + IMAGENET_MEAN[c]!)) * 255);
    }
  }
  return img;
}

/** A sheet of `rows` images, each followed by its augmented crops. */
export function augmentSheet(params: Partial<SyntheticParams> & { images: number }, rows: number, crops: readonly CropSpec[], scale: number): RgbImage {
  const ds = new SyntheticDataset(params);
  const S = ds.params.size;
  const aug = new Augmenter();
  const tiles: RgbImage[] = [];
  for (let i = 0; i < rows; i++) {
    const src = rgbImage(S, S, ds.get(i).pixels);
    tiles.push(src);
    let v = 0;
    for (const g of crops) {
      const buf = new Float32Array(g.size * g.size * 3);
      for (let c = 0; c < g.count; c++) {
        aug.crop(src, g.size, g.scale, derive(0, i, v++), buf, 0);
        tiles.push(cropToImage(buf, g.size, S));
      }
    }
  }
  return contactSheet(tiles, 1 + crops.reduce((n, g) => n + g.count, 0), scale);
}

async function main(argv: string[]): Promise<void> {
  const out = argv[0];
  if (!out || out.startsWith("--")) throw new Error("usage: preview OUT.png [--size N] [--classes N] [--per-class N] [--shift X] [--seed N] [--groups N] [--scale N]");
  const opt = (name: string, dflt: number): number => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : dflt;
  };
  const classes = opt("classes", 10), perClass = opt("per-class", 12);
  const size = opt("size", 32);
  const small = Math.max(8, Math.round(size / 2));
  const sheet = argv.includes("--augment")
    ? augmentSheet({ images: 100, size, classes, shift: opt("shift", 0), seed: opt("seed", 1) }, perClass, [{ count: 2, size, scale: [0.3, 1] }, { count: 6, size: small, scale: [0.1, 0.3] }], opt("scale", 3))
    : syntheticSheet(
    { images: classes * perClass, size, classes, shift: opt("shift", 0), seed: opt("seed", 1), groups: opt("groups", 1) },
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
