/** What scanning a file-based dataset produces, and the checks shared by the scanners. */
import path from "node:path";
import { DataReport } from "./errors.js";
import { probeImage } from "./image.js";
import type { Splits } from "./splits.js";
import type { FileEntry } from "./walk.js";

/** One image of a file dataset. `rel` is relative to the dataset root (the item's key). */
export interface ImageItem extends FileEntry {
  /** Absolute path. */
  readonly path: string;
  /** Class index, or -1 when unlabelled. */
  readonly label: number;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface FileDataset {
  readonly kind: "image_folder" | "manifest";
  /** Absolute root that `rel` paths are relative to. */
  readonly root: string;
  readonly items: readonly ImageItem[];
  /** Class names by label index; null when unlabelled. */
  readonly classes: readonly string[] | null;
  /** Indices into `items` per split; null when the dataset declares no splits. */
  readonly splits: Splits | null;
  /** The manifest file (absolute), whose contents are part of the fingerprint; null for folders. */
  readonly manifest: string | null;
  /** Attribute names (manifest `attributes`). */
  readonly attributes: readonly string[];
  /** Files skipped while scanning (empty, unreadable, corrupt, missing) and bad manifest rows. */
  readonly report: DataReport;
}

export interface VerifyOptions {
  /**
   * Read every image's header before training (catches files that are not images or are
   * cut short before the header ends). Zero-byte files are always caught. Default true.
   */
  readonly verify?: boolean;
  /** Header reads in flight at once (default 16). */
  readonly concurrency?: number;
}

/**
 * Drops empty and (with `verify`) unidentifiable files, recording each in `report`.
 * Order is kept.
 */
export async function verifyItems<T extends { readonly path: string; readonly size: number }>(items: readonly T[], report: DataReport, o: VerifyOptions = {}): Promise<T[]> {
  const ok = new Uint8Array(items.length);
  const verify = o.verify ?? true;
  let next = 0;
  async function lane(): Promise<void> {
    for (let i = next++; i < items.length; i = next++) {
      const it = items[i]!;
      if (it.size === 0) {
        report.add(it.path, "empty-file", "0 bytes");
        continue;
      }
      if (!verify) {
        ok[i] = 1;
        continue;
      }
      try {
        await probeImage(it.path);
        ok[i] = 1;
      } catch (e) {
        report.add(it.path, "corrupt", e instanceof Error ? e.message : String(e));
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 16) }, lane));
  return items.filter((_, i) => ok[i] === 1);
}

/** Resolves a path written in a recipe or manifest against a base folder. */
export const resolveFrom = (base: string, p: string): string => (path.isAbsolute(p) ? path.normalize(p) : path.resolve(base, p));

/** Labels of a file dataset as an Int32Array (-1 = unlabelled), for the loader. */
export function labelsOf(ds: Pick<FileDataset, "items">): Int32Array {
  return Int32Array.from(ds.items, (it) => it.label);
}
