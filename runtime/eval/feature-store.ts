/**
 * Features on disk: `<key>.f32` (raw little-endian float32, row-major [n, dim]) beside
 * `<key>.json` (shape, labels, attributes, the inputs' identity and a sha256 of the data).
 * Published atomically (temp + rename, data before metadata), so a crash never leaves a
 * file a later run trusts; a file whose hash does not match is treated as missing.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";
import type { FeatureMatrix } from "./extract.js";

export interface FeatureMeta {
  n: number;
  dim: number;
  /** Unpooled maps: each row is [height, width, channels]. */
  map?: [number, number, number];
  /** sha256 of the float32 bytes. */
  sha256: string;
  /** What produced them: trunk weights hash, tap, pooling, data fingerprint, split. */
  source: Record<string, string | number>;
  labels?: number[];
  /** Per-image attribute codes by attribute name. */
  attributes?: Record<string, (string | number)[]>;
  /** The value each attribute code stands for (`attribute_values[name][code]`), when known. */
  attribute_values?: Record<string, readonly string[]>;
}

export interface StoredFeatures extends FeatureMatrix {
  meta: FeatureMeta;
}

/** The cache key of a feature file: a hash of everything that determines its content. */
export function featureKey(source: Record<string, string | number>): string {
  const canonical = JSON.stringify(Object.keys(source).sort().map((k) => [k, source[k]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}

function bytesOf(f: Float32Array): Buffer {
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
}

export function saveFeatures(dir: string, f: FeatureMatrix, meta: Omit<FeatureMeta, "n" | "dim" | "map" | "sha256">): string {
  mkdirSync(dir, { recursive: true });
  const key = featureKey(meta.source);
  const bytes = bytesOf(f.data);
  const full: FeatureMeta = { n: f.n, dim: f.dim, ...(f.map ? { map: f.map } : {}), sha256: createHash("sha256").update(bytes).digest("hex"), ...meta };
  writeFileAtomic(path.join(dir, `${key}.f32`), bytes);
  writeFileAtomic(path.join(dir, `${key}.json`), `${JSON.stringify(full)}\n`);
  return key;
}

/** Stored features for a source, or undefined if absent, incomplete or corrupt. */
export function loadFeatures(dir: string, source: Record<string, string | number>): StoredFeatures | undefined {
  const key = featureKey(source);
  const metaFile = path.join(dir, `${key}.json`);
  const dataFile = path.join(dir, `${key}.f32`);
  if (!existsSync(metaFile) || !existsSync(dataFile)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(metaFile, "utf8")) as FeatureMeta;
    const bytes = readFileSync(dataFile);
    if (bytes.length !== meta.n * meta.dim * 4) return undefined;
    if (createHash("sha256").update(bytes).digest("hex") !== meta.sha256) return undefined;
    const data = new Float32Array(meta.n * meta.dim);
    Buffer.from(data.buffer).set(bytes);
    return { data, n: meta.n, dim: meta.dim, ...(meta.map ? { map: meta.map } : {}), meta };
  } catch {
    return undefined;
  }
}
