/**
 * One file of `seer data scan`, read once: its bytes hashed (SHA-256), its header read and its
 * pixels decoded as the loader decodes them (runtime/data/image.ts: sharp, `failOn: "warning"`).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { loadSharp } from "./image.js";

/** Pixels above which an image is not decoded (the limit the loader decodes with). */
export const SCAN_PIXEL_LIMIT = 1 << 28;

/** Images up to this many pixels are decoded whole into memory; larger ones are shrunk as they decode. */
const IN_MEMORY_PIXELS = 1 << 22;

/** Why a file is not a usable image, in the order a file is checked. */
export type FileReason = "empty-file" | "unreadable" | "not-an-image" | "pixel-limit" | "corrupt";

/** What one file turned out to be. */
export type Outcome =
  | { readonly kind: "image"; readonly width: number; readonly height: number; readonly format: string; readonly colour: string; readonly depth: string; readonly hash: string; readonly size: number }
  | { readonly kind: "problem"; readonly reason: FileReason; readonly detail: string; readonly hash: string | null; readonly size: number };

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n", 1)[0]!.trim();

/** grayscale, grayscale+alpha, RGB, RGBA, CMYK, or libvips' name for another colour space. */
function colourOf(m: { space?: string; channels?: number; hasAlpha?: boolean }): string {
  if (m.space === "cmyk") return "CMYK";
  const alpha = m.hasAlpha === true;
  if (m.space === "b-w" || m.space === "grey16" || m.channels === 1 || (m.channels === 2 && alpha)) return alpha ? "grayscale+alpha" : "grayscale";
  if (m.space === "srgb" || m.space === "rgb16" || m.space === "rgb") return alpha ? "RGBA" : "RGB";
  return m.space ?? "unknown";
}

const DEPTHS: Readonly<Record<string, string>> = { uchar: "8", char: "8", ushort: "16", short: "16", uint: "32", int: "32", float: "32f", double: "64f" };

/** Reads one file (of `size` bytes by its listing). */
export async function examine(file: string, size: number): Promise<Outcome> {
  if (size === 0) return { kind: "problem", reason: "empty-file", detail: "0 bytes", hash: null, size };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    return { kind: "problem", reason: "unreadable", detail: message(e), hash: null, size };
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const bad = (reason: FileReason, detail: string): Outcome => ({ kind: "problem", reason, detail, hash, size: bytes.length });
  if (bytes.length === 0) return bad("empty-file", "0 bytes");
  const sharp = await loadSharp();
  let m;
  try {
    m = await sharp(bytes).metadata();
  } catch (e) {
    return bad("not-an-image", message(e));
  }
  if (!m.width || !m.height || !m.format) return bad("not-an-image", "no image dimensions in header");
  if (m.width * m.height > SCAN_PIXEL_LIMIT) return bad("pixel-limit", `${m.width}x${m.height} is over ${SCAN_PIXEL_LIMIT} pixels`);
  try {
    // A full decode, as the loader decodes (failOn: warning): a file cut short after its header fails here.
    // Small images decode to a buffer (fastest); larger ones stream through a 1x1 shrink, so memory stays small.
    const pipeline = sharp(bytes, { failOn: "warning", limitInputPixels: SCAN_PIXEL_LIMIT });
    if (m.width * m.height > IN_MEMORY_PIXELS) pipeline.resize(1, 1, { fit: "fill", fastShrinkOnLoad: false, kernel: "nearest" });
    await pipeline.raw().toBuffer();
  } catch (e) {
    return bad("corrupt", message(e));
  }
  return { kind: "image", width: m.width, height: m.height, format: m.format, colour: colourOf(m), depth: DEPTHS[m.depth ?? ""] ?? m.depth ?? "unknown", hash, size: bytes.length };
}

