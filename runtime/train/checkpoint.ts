/**
 * Checkpoints: named float32 tensors (weights, optimizer state, BN statistics, queue) plus a
 * JSON state (step, data order, RNG states), in one file:
 *
 *   "SEERCKPT" | u32 version | u32 header length | header JSON | tensor bytes | sha256 (32 bytes)
 *
 * The sha256 covers everything before it, so a truncated or corrupted file is detected and the
 * previous checkpoint is used. Writes are atomic: temp file, fsync, rename, fsync the folder.
 * Tensor data is copied byte for byte, so a resume is bitwise exact.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";

const MAGIC = Buffer.from("SEERCKPT", "ascii");
const VERSION = 1;
const FILE_RE = /^ckpt-(\d{9})\.seerckpt$/;

export interface CheckpointTensor {
  shape: number[];
  data: Float32Array;
}

export interface Checkpoint<S> {
  step: number;
  state: S;
  tensors: Map<string, CheckpointTensor>;
}

interface Header<S> {
  step: number;
  state: S;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

export class CheckpointError extends Error {}

export function checkpointPath(dir: string, step: number): string {
  return path.join(dir, `ckpt-${String(step).padStart(9, "0")}.seerckpt`);
}

/** Serialises a checkpoint (exported for tests and for hashing). */
export function encodeCheckpoint<S>(c: Checkpoint<S>): Buffer {
  const entries = [...c.tensors.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let offset = 0;
  const header: Header<S> = { step: c.step, state: c.state, tensors: [] };
  for (const [name, t] of entries) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new CheckpointError(`tensor ${name}: shape [${t.shape.join(", ")}] does not match ${t.data.length} values`);
    header.tensors.push({ name, shape: t.shape, offset, length: t.data.length });
    offset += t.data.length * 4;
  }
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const fixed = Buffer.alloc(16);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt32LE(VERSION, 8);
  fixed.writeUInt32LE(headerBytes.length, 12);
  const body = Buffer.concat([fixed, headerBytes, ...entries.map(([, t]) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))]);
  const digest = createHash("sha256").update(body).digest();
  return Buffer.concat([body, digest]);
}

export function decodeCheckpoint<S>(buf: Buffer): Checkpoint<S> {
  if (buf.length < 16 + 32 || !buf.subarray(0, 8).equals(MAGIC)) throw new CheckpointError("not a seer checkpoint");
  const body = buf.subarray(0, buf.length - 32);
  const digest = createHash("sha256").update(body).digest();
  if (!digest.equals(buf.subarray(buf.length - 32))) throw new CheckpointError("checksum mismatch (truncated or corrupted)");
  const version = buf.readUInt32LE(8);
  if (version !== VERSION) throw new CheckpointError(`unsupported checkpoint version ${version}`);
  const headerLength = buf.readUInt32LE(12);
  const header = JSON.parse(buf.subarray(16, 16 + headerLength).toString("utf8")) as Header<S>;
  const dataStart = 16 + headerLength;
  const tensors = new Map<string, CheckpointTensor>();
  for (const t of header.tensors) {
    const start = dataStart + t.offset;
    // Copy into a fresh, aligned buffer.
    const data = new Float32Array(t.length);
    Buffer.from(data.buffer).set(buf.subarray(start, start + t.length * 4));
    tensors.set(t.name, { shape: t.shape, data });
  }
  return { step: header.step, state: header.state, tensors };
}

/** Writes atomically and keeps only the newest `keep` checkpoints. Returns the file path. */
export function saveCheckpoint<S>(dir: string, c: Checkpoint<S>, keep: number): string {
  mkdirSync(dir, { recursive: true });
  const file = checkpointPath(dir, c.step);
  writeFileAtomic(file, encodeCheckpoint(c), { durable: true });
  const all = listCheckpoints(dir);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(old.file, { force: true });
  return file;
}

/** Checkpoint files in a folder, oldest first (leftover temp files are ignored). */
export function listCheckpoints(dir: string): { step: number; file: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => ({ m: FILE_RE.exec(f), f }))
    .filter((x): x is { m: RegExpExecArray; f: string } => x.m !== null)
    .map((x) => ({ step: Number(x.m[1]), file: path.join(dir, x.f) }))
    .sort((a, b) => a.step - b.step);
}

export interface LoadResult<S> {
  checkpoint?: Checkpoint<S>;
  file?: string;
  /** Files that were newer but unreadable, with why. */
  skipped: { file: string; reason: string }[];
}

/** The newest checkpoint that reads back intact; corrupt newer ones are reported and skipped. */
export function loadLatestCheckpoint<S>(dir: string): LoadResult<S> {
  const skipped: { file: string; reason: string }[] = [];
  for (const { file } of listCheckpoints(dir).reverse()) {
    try {
      return { checkpoint: decodeCheckpoint<S>(readFileSync(file)), file, skipped };
    } catch (e) {
      skipped.push({ file, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { skipped };
}
