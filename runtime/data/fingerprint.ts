/**
 * Dataset fingerprints, for run records and stage hashes. A file dataset's fingerprint is
 * sha256 over its sorted relative paths, sizes and mtimes; with `contentHash`, over paths,
 * sizes and each file's content sha256 instead (no times, so a copy on another machine
 * has the same fingerprint). A manifest's text is included; a synthetic dataset's
 * fingerprint is a hash of its parameters. Results are cached in a small JSON file keyed
 * by root + options and validated by a digest of the paths, sizes and times: contents are
 * re-read only when one of those changed (the assumption make and rsync also rely on).
 * The cache is written atomically (temp file + rename).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CopyDetectionSet } from "./copy-detection.js";
import type { FileDataset } from "./dataset.js";
import type { SyntheticParams } from "./synthetic.js";
import { listImages, type FileEntry } from "./walk.js";

export interface Fingerprint {
  /** `sha256:<64 hex digits>`. */
  readonly value: string;
  readonly files: number;
  readonly bytes: number;
  /** Whether file contents (not just paths, sizes and times) went in. */
  readonly content: boolean;
}

export interface FingerprintOptions {
  readonly contentHash?: boolean;
  /** The cache file; null disables it. Default `.seer/cache/fingerprints.json` in the working directory. */
  readonly cacheFile?: string | null;
}

interface CacheEntry {
  statDigest: string;
  value: string;
  files: number;
  bytes: number;
  computedAt: string;
}
interface CacheFile {
  version: 1;
  entries: Record<string, CacheEntry>;
}

export const DEFAULT_CACHE_FILE = path.join(".seer", "cache", "fingerprints.json");
const sha256 = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");

/** sha256 of a file's bytes (streamed). */
export function hashFileContent(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(file)
      .on("data", (d) => h.update(d))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")));
  });
}

async function readCache(file: string): Promise<CacheFile> {
  try {
    const c = JSON.parse(await readFile(file, "utf8")) as Partial<CacheFile>;
    if (c.version === 1 && c.entries && typeof c.entries === "object") return c as CacheFile;
  } catch {
    // Missing or unreadable: start afresh.
  }
  return { version: 1, entries: {} };
}

async function writeCache(file: string, key: string, entry: CacheEntry): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const cache = await readCache(file);
  cache.entries[key] = entry;
  const tmp = `${file}.${process.pid}.${Date.now()}.${Math.floor(Math.random() * 1e9)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(cache, null, 1)}\n`);
  await rename(tmp, file);
}

const sortEntries = (entries: readonly FileEntry[]): FileEntry[] => [...entries].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));

/**
 * Fingerprint of files under `root` given their entries (as scanners produce them).
 * `extra` (e.g. a manifest's contents hash) is mixed in and is part of the cache key.
 */
export async function fingerprintEntries(root: string, entries: readonly FileEntry[], o: FingerprintOptions = {}, extra = ""): Promise<Fingerprint> {
  const absRoot = path.resolve(root);
  const content = o.contentHash ?? false;
  const sorted = sortEntries(entries);
  const statLines = sorted.map((e) => `${e.rel}\t${e.size}\t${e.mtimeMs}\n`).join("");
  const statDigest = sha256(`${extra}\n${statLines}`);
  const files = sorted.length;
  const bytes = sorted.reduce((a, e) => a + e.size, 0);
  const cacheFile = o.cacheFile === undefined ? path.resolve(DEFAULT_CACHE_FILE) : o.cacheFile;
  const key = `${absRoot}|content=${content}|extra=${extra ? sha256(extra).slice(0, 16) : "-"}`;
  if (cacheFile) {
    const hit = (await readCache(cacheFile)).entries[key];
    if (hit && hit.statDigest === statDigest) return { value: hit.value, files: hit.files, bytes: hit.bytes, content };
  }
  let value: string;
  if (!content) {
    value = `sha256:${statDigest}`;
  } else {
    const hashes = new Array<string>(files);
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let i = next++; i < files; i = next++) hashes[i] = await hashFileContent(path.join(absRoot, ...sorted[i]!.rel.split("/")));
    };
    await Promise.all(Array.from({ length: 8 }, lane));
    value = `sha256:${sha256(`${extra}\ncontent\n${sorted.map((e, i) => `${e.rel}\t${e.size}\t${hashes[i]}\n`).join("")}`)}`;
  }
  if (cacheFile) await writeCache(cacheFile, key, { statDigest, value, files, bytes, computedAt: new Date().toISOString() });
  return { value, files, bytes, content };
}

/** Fingerprint of every image file under a folder. */
export async function fingerprintFolder(root: string, o: FingerprintOptions = {}): Promise<Fingerprint> {
  return fingerprintEntries(root, await listImages(path.resolve(root)), o);
}

/** Fingerprint of a scanned image_folder or manifest dataset (its kept items; a manifest's text too). */
export async function fingerprintDataset(ds: FileDataset, o: FingerprintOptions = {}): Promise<Fingerprint> {
  const extra = ds.manifest ? `manifest:${sha256(await readFile(ds.manifest))}` : "";
  return fingerprintEntries(ds.root, ds.items, o, extra);
}

/** Fingerprint of a scanned copy-detection set (queries, originals and distractors). */
export async function fingerprintCopyDetection(set: CopyDetectionSet, o: FingerprintOptions = {}): Promise<Fingerprint> {
  return fingerprintEntries(set.root, [...set.queries, ...set.database], o, `copy-detection:${set.distractorStart}`);
}

/** Version of the synthetic generator: bump when its pixels change, so old fingerprints differ. */
export const SYNTHETIC_GENERATOR_VERSION = 1;

/** Fingerprint of a synthetic dataset: a hash of its parameters and the generator version. */
export function fingerprintSynthetic(p: SyntheticParams): Fingerprint {
  const canon = JSON.stringify({ generator: SYNTHETIC_GENERATOR_VERSION, kind: p.kind, images: p.images, size: p.size, classes: p.classes, groups: p.groups, shift: p.shift, seed: p.seed });
  return { value: `sha256:${sha256(canon)}`, files: 0, bytes: p.images * p.size * p.size * 3, content: true };
}
