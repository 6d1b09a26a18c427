/**
 * `seer data scan`: what an image folder holds, read as `image_folder` with `labels = folders`
 * reads it (the same walk, the same files, the same classes and the same links not followed).
 * Every file is read once (its bytes hashed, its header read, its pixels decoded), a few at a
 * time, so memory stays bounded by the files in flight and by one entry per file for the
 * duplicate search. Sizes are kept as histograms, so the medians cost no list of every image.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { SkippedLink } from "./errors.js";
import { classOf } from "./image-folder.js";
import { loadSharp } from "./image.js";
import { requireFolder, walkImages } from "./walk.js";

/** Files listed by path per reason (and duplicate groups listed); counts are always complete. */
export const SCAN_LISTED = 100;
/** Pixels above which an image is not decoded (the limit the loader decodes with). */
export const SCAN_PIXEL_LIMIT = 1 << 28;

/** Images up to this many pixels are decoded whole into memory; larger ones are shrunk as they decode. */
const IN_MEMORY_PIXELS = 1 << 22;

/** Why a file is not a usable image, in the order a file is checked. */
export type ScanReason = "empty-file" | "unreadable" | "not-an-image" | "pixel-limit" | "corrupt";

export interface ScanProblem {
  readonly path: string;
  readonly detail: string;
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface ScanResult {
  readonly version: 1;
  readonly root: string;
  /** Files image_folder reads (by extension), and their bytes. */
  readonly files: number;
  readonly bytes: number;
  /** Files that decode fully. */
  readonly images: number;
  /** Class folders (as image_folder with labels = folders sees them) and each one's decodable images; images not in a class folder. */
  readonly classes: { readonly count: number; readonly images: Readonly<Record<string, number>> };
  readonly unlabelled: number;
  /** Of the decodable images. */
  readonly sizes: { readonly width: Spread; readonly height: Spread } | null;
  readonly formats: Readonly<Record<string, number>>;
  readonly colour: Readonly<Record<string, number>>;
  readonly bit_depth: Readonly<Record<string, number>>;
  readonly problems: { readonly count: number; readonly reasons: Partial<Record<ScanReason, { readonly count: number; readonly files: readonly ScanProblem[] }>> };
  /** Groups of byte-identical files (sha256), empty files aside. */
  readonly duplicates: { readonly groups: number; readonly files: number; readonly extra_bytes: number; readonly list: readonly (readonly string[])[] };
  readonly links: readonly { readonly path: string; readonly target: string; readonly reason: SkippedLink["reason"]; readonly read_as: string }[];
  readonly seconds: number;
}

export interface ScanOptions {
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called after each file with how many are done of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What one file turned out to be. */
type Outcome =
  | { readonly kind: "image"; readonly width: number; readonly height: number; readonly format: string; readonly colour: string; readonly depth: string; readonly hash: string; readonly size: number }
  | { readonly kind: "problem"; readonly reason: ScanReason; readonly detail: string; readonly hash: string | null; readonly size: number };

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

async function examine(file: string, size: number): Promise<Outcome> {
  if (size === 0) return { kind: "problem", reason: "empty-file", detail: "0 bytes", hash: null, size };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    return { kind: "problem", reason: "unreadable", detail: message(e), hash: null, size };
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const bad = (reason: ScanReason, detail: string): Outcome => ({ kind: "problem", reason, detail, hash, size: bytes.length });
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

/** min, lower median and max of a histogram (value -> count). */
function spread(h: ReadonlyMap<number, number>): Spread {
  const keys = [...h.keys()].sort((a, b) => a - b);
  const n = [...h.values()].reduce((a, b) => a + b, 0);
  let seen = 0;
  let median = keys[0]!;
  for (const k of keys) {
    seen += h.get(k)!;
    if (seen > (n - 1) >> 1) {
      median = k;
      break;
    }
  }
  return { min: keys[0]!, median, max: keys[keys.length - 1]! };
}

const bump = <K>(m: Map<K, number>, k: K): void => void m.set(k, (m.get(k) ?? 0) + 1);
const sortedRecord = (m: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Thrown when the signal aborts a scan; says how far it got. */
export class ScanCancelled extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`cancelled after ${done} of ${total} files`);
  }
}

export async function scanFolder(dir: string, o: ScanOptions = {}): Promise<ScanResult> {
  const t0 = performance.now();
  const root = path.resolve(dir);
  await requireFolder(root);
  const walk = await walkImages([root]);
  const entries = walk.files[0]!;
  const rel = (p: string): string => {
    const r = path.relative(root, p);
    return r === "" ? "." : r.startsWith("..") || path.isAbsolute(r) ? p : r.split(path.sep).join("/");
  };

  const widths = new Map<number, number>();
  const heights = new Map<number, number>();
  const formats = new Map<string, number>();
  const colours = new Map<string, number>();
  const depths = new Map<string, number>();
  const classes = new Map<string, number>();
  const reasons = new Map<ScanReason, { count: number; files: ScanProblem[] }>();
  const byHash = new Map<string, string[]>(); // sha256 -> paths (the first, and any copies)
  let images = 0;
  let unlabelled = 0;
  let bytes = 0;
  let problems = 0;
  let extraBytes = 0;

  for (const e of entries) {
    const c = classOf(e.rel);
    if (c !== null && !classes.has(c)) classes.set(c, 0);
  }
  const outcomes: (Outcome | undefined)[] = new Array(entries.length);
  let next = 0;
  let done = 0;
  let folded = 0;
  async function lane(): Promise<void> {
    for (let i = next++; i < entries.length; i = next++) {
      if (o.signal?.aborted) throw new ScanCancelled(done, entries.length);
      const e = entries[i]!;
      outcomes[i] = await examine(path.join(root, ...e.rel.split("/")), e.size);
      fold();
      o.onProgress?.(++done, entries.length);
    }
  }
  // Folded in path order as results arrive: the listed files are the first in path order, and only outcomes not yet folded are held.
  function fold(): void {
    for (; folded < entries.length && outcomes[folded] !== undefined; folded++) {
      const r = outcomes[folded]!;
      outcomes[folded] = undefined;
      const p = entries[folded]!.rel;
      bytes += r.size;
      if (r.hash !== null) {
        const group = byHash.get(r.hash);
        if (group) {
          group.push(p);
          extraBytes += r.size;
        } else byHash.set(r.hash, [p]);
      }
      if (r.kind === "problem") {
        problems++;
        const g = reasons.get(r.reason) ?? { count: 0, files: [] };
        reasons.set(r.reason, g);
        if (g.count++ < SCAN_LISTED) g.files.push({ path: p, detail: r.detail });
        continue;
      }
      images++;
      const c = classOf(p);
      if (c === null) unlabelled++;
      else bump(classes, c);
      bump(widths, r.width);
      bump(heights, r.height);
      bump(formats, r.format);
      bump(colours, r.colour);
      bump(depths, r.depth);
    }
  }
  const lanes = Math.max(1, o.concurrency ?? Math.min(16, availableParallelism() * 2));
  await Promise.all(Array.from({ length: lanes }, lane));

  const groups = [...byHash.values()].filter((g) => g.length > 1);
  const order: ScanReason[] = ["empty-file", "unreadable", "not-an-image", "pixel-limit", "corrupt"];
  return {
    version: 1,
    root,
    files: entries.length,
    bytes,
    images,
    classes: { count: classes.size, images: sortedRecord(classes) },
    unlabelled,
    sizes: images > 0 ? { width: spread(widths), height: spread(heights) } : null,
    formats: sortedRecord(formats),
    colour: sortedRecord(colours),
    bit_depth: sortedRecord(depths),
    problems: { count: problems, reasons: Object.fromEntries(order.filter((r) => reasons.has(r)).map((r) => [r, reasons.get(r)!])) },
    duplicates: { groups: groups.length, files: groups.reduce((a, g) => a + g.length, 0), extra_bytes: extraBytes, list: groups.slice(0, SCAN_LISTED) },
    links: walk.links.map((l) => ({ path: rel(l.path), target: l.target, reason: l.reason, read_as: rel(l.readAs) })),
    seconds: Math.round((performance.now() - t0) / 10) / 100,
  };
}
