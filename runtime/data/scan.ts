/**
 * `seer data scan`: what an image folder holds, read as `image_folder` with `labels = folders`
 * reads it (the same walk, the same files, the same classes and the same links not followed),
 * or what a manifest lists, read as a `manifest` dataset reads it.
 * Every file is read once (its bytes hashed, its header read, its pixels decoded), a few at a
 * time, so memory stays bounded by the files in flight and by one entry per file for the
 * duplicate search. Sizes are kept as histograms, so the medians cost no list of every image.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import type { ProblemReason, SkippedLink } from "./errors.js";
import { classOf } from "./image-folder.js";
import { listManifest } from "./manifest.js";
import { examine, type FileReason, type Outcome } from "./scan-file.js";
import { requireFolder, toPosix, walkImages } from "./walk.js";

/** Files listed by path per reason (and duplicate groups listed); counts are always complete. */
export const SCAN_LISTED = 100;
export { SCAN_PIXEL_LIMIT } from "./scan-file.js";

/** Why a file or manifest row is not a usable image: a manifest's rows first, then each file's checks in order. */
export type ScanReason = Extract<ProblemReason, "bad-row" | "outside-root" | "missing"> | FileReason;
const REASONS: readonly ScanReason[] = ["bad-row", "outside-root", "missing", "empty-file", "unreadable", "not-an-image", "pixel-limit", "corrupt"];

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
  /** The manifest scanned, or null for a folder. */
  readonly manifest: string | null;
  /** Files read: those image_folder lists (by extension), or those a manifest lists that exist; and their bytes. */
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

/** What a scan reads: files by path relative to the root (with their class), and what the listing found already. */
interface ScanInput {
  readonly root: string;
  readonly manifest: string | null;
  readonly entries: readonly { readonly rel: string; readonly size: number; readonly className: string | null }[];
  readonly problems: readonly { readonly path: string; readonly reason: ScanReason; readonly detail: string }[];
  readonly links: readonly SkippedLink[];
}

/** A path under `root` relative to it, with `/` (`.` for the root itself); others as they are. */
function relTo(root: string, p: string): string {
  const r = path.relative(root, p);
  return r === "" ? "." : r.startsWith("..") || path.isAbsolute(r) ? p : toPosix(r);
}

/** An image folder, listed as `image_folder` with `labels = folders` lists it. */
export async function scanFolder(dir: string, o: ScanOptions = {}): Promise<ScanResult> {
  const t0 = performance.now();
  const root = path.resolve(dir);
  await requireFolder(root);
  const walk = await walkImages([root]);
  const entries = walk.files[0]!.map((e) => ({ rel: e.rel, size: e.size, className: classOf(e.rel) }));
  return scanEntries({ root, manifest: null, entries, problems: [], links: walk.links }, t0, o);
}

/**
 * A manifest (CSV or JSON Lines), listed as a `manifest` dataset lists it: the `path` column,
 * relative to the manifest's folder; the `label` column, when there is one, as the class (a
 * row without a label is unlabelled here, where a recipe would report it).
 */
export async function scanManifestFile(file: string, o: ScanOptions = {}): Promise<ScanResult> {
  const t0 = performance.now();
  const m = await listManifest({ file, label: null });
  const labelled = m.columns.includes("label");
  // Sorted: missing files are reported as their checks finish, in no fixed order.
  const problems = m.report.problems.map((p) => ({ path: relTo(m.root, p.path), reason: p.reason as ScanReason, detail: p.detail })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries = m.present.map((e) => ({ rel: toPosix(path.relative(m.root, e.path)), size: e.size, className: (labelled && e.row.values["label"]) || null }));
  return scanEntries({ root: m.root, manifest: m.file, entries, problems, links: [] }, t0, o);
}

async function scanEntries(input: ScanInput, t0: number, o: ScanOptions): Promise<ScanResult> {
  const { root, entries } = input;

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

  for (const e of entries) if (e.className !== null && !classes.has(e.className)) classes.set(e.className, 0);
  const note = (reason: ScanReason, p: string, detail: string): void => {
    problems++;
    const g = reasons.get(reason) ?? { count: 0, files: [] };
    reasons.set(reason, g);
    if (g.count++ < SCAN_LISTED) g.files.push({ path: p, detail });
  };
  for (const p of input.problems) note(p.reason, p.path, p.detail);
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
        note(r.reason, p, r.detail);
        continue;
      }
      images++;
      const c = entries[folded]!.className;
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
  return {
    version: 1,
    root,
    manifest: input.manifest,
    files: entries.length,
    bytes,
    images,
    classes: { count: classes.size, images: sortedRecord(classes) },
    unlabelled,
    sizes: images > 0 ? { width: spread(widths), height: spread(heights) } : null,
    formats: sortedRecord(formats),
    colour: sortedRecord(colours),
    bit_depth: sortedRecord(depths),
    problems: { count: problems, reasons: Object.fromEntries(REASONS.filter((r) => reasons.has(r)).map((r) => [r, reasons.get(r)!])) },
    duplicates: { groups: groups.length, files: groups.reduce((a, g) => a + g.length, 0), extra_bytes: extraBytes, list: groups.slice(0, SCAN_LISTED) },
    links: input.links.map((l) => ({ path: relTo(root, l.path), target: l.target, reason: l.reason, read_as: relTo(root, l.readAs) })),
    seconds: Math.round((performance.now() - t0) / 10) / 100,
  };
}
