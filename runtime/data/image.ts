/**
 * Decoded images (packed 8-bit RGB, HWC) and decoding through sharp. sharp is loaded on
 * first use only, so recipes on synthetic data never load libvips.
 */
import type { Sharp, SharpOptions } from "sharp";

/** An 8-bit RGB image, rows top to bottom, pixels packed R,G,B (HWC). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** File name extensions read as images (compared case-insensitively). */
export const IMAGE_EXTENSIONS: readonly string[] = [".jpg", ".jpeg", ".png", ".webp"];

export function isImageFile(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot >= 0 && IMAGE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

export function rgbImage(width: number, height: number, data?: Uint8Array): RgbImage {
  const d = data ?? new Uint8Array(width * height * 3);
  if (d.length !== width * height * 3) throw new RangeError(`image: ${d.length} bytes for ${width}x${height} RGB`);
  return { width, height, data: d };
}

/** How to size a decoded image. */
export type DecodeSize =
  /** Keep the aspect ratio; the shorter side becomes `side` px (sharp's `fit: outside`). */
  | { readonly shorterSide: number }
  /** Exactly `side`×`side`: scale to cover, then centre-crop. */
  | { readonly square: number }
  /** Full resolution. */
  | "original";

type SharpFactory = (input?: string | Buffer, options?: SharpOptions) => Sharp;
let sharpModule: Promise<SharpFactory> | null = null;

/** Loads sharp once (call on the main thread before starting workers; see loader.ts). */
export function loadSharp(): Promise<SharpFactory> {
  sharpModule ??= import("sharp").then((m) => {
    const factory = m.default as unknown as SharpFactory & { concurrency(n: number): number };
    // Parallelism comes from the worker pool; one libvips thread per image avoids oversubscription.
    factory.concurrency(1);
    return factory;
  });
  return sharpModule;
}

/**
 * Decodes an image file (or bytes) to 8-bit RGB. Alpha is flattened onto black, grey
 * becomes RGB, EXIF orientation is applied. Throws on unreadable or corrupt input.
 */
export async function decodeImage(input: string | Buffer, size: DecodeSize = "original"): Promise<RgbImage> {
  const sharp = await loadSharp();
  let pipeline = sharp(input, { failOn: "warning", limitInputPixels: 1 << 28 }).rotate();
  if (size !== "original") {
    if ("square" in size) pipeline = pipeline.resize(size.square, size.square, { fit: "cover", position: "centre", kernel: "linear" });
    else pipeline = pipeline.resize(size.shorterSide, size.shorterSide, { fit: "outside", kernel: "linear" });
  }
  const { data, info } = await pipeline.flatten({ background: "#000000" }).toColourspace("srgb").removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
  return rgbImage(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Reads only the header (format and dimensions); throws on files sharp cannot identify. */
export async function probeImage(path: string): Promise<{ width: number; height: number; format: string }> {
  const sharp = await loadSharp();
  const m = await sharp(path).metadata();
  if (!m.width || !m.height || !m.format) throw new Error("no image dimensions in header");
  return { width: m.width, height: m.height, format: m.format };
}

/** Encodes RGB pixels as PNG (for previews and tests). */
export async function encodePng(img: RgbImage): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 3 } })
    .png()
    .toBuffer();
}
