/**
 * The images a stage's loader could not decode (each replaced by the next image of its split):
 * `unreadable.json` in a stage's work folder and in its published outputs, the same format from
 * either engine: `{"count": N, "files": [{"path", "reason"}]}`. An engine writes every file it
 * met, by absolute path, into the work folder; the stage publishes them relative to the dataset
 * root, sorted, the first UNREADABLE_LISTED listed and `count` all of them. A stage that met none
 * publishes no file, so clean outputs stay as they were.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";
import { isObject } from "../../core/json.js";
import type { Problem } from "./errors.js";
import { toPosix } from "./walk.js";

export const UNREADABLE_FILE = "unreadable.json";
/** Files listed by name in published outputs (and records); `count` says how many there were. */
export const UNREADABLE_LISTED = 100;

export interface UnreadableImage {
  readonly path: string;
  /** The decoder's message (one line). */
  readonly reason: string;
}

export interface Unreadable {
  readonly count: number;
  readonly files: readonly UnreadableImage[];
}

/** What a loader's report says, every file by the path it was read at. */
export function unreadableOf(problems: readonly Problem[]): Unreadable {
  const files = problems.map((p) => ({ path: p.path, reason: p.detail || p.reason }));
  return { count: files.length, files };
}

/** Two lists as one, each path once (the first reason kept); for a run resumed in the same work folder. */
export function mergeUnreadable(a: Unreadable | null, b: Unreadable): Unreadable {
  const seen = new Map((a?.files ?? []).map((f) => [f.path, f]));
  for (const f of b.files) if (!seen.has(f.path)) seen.set(f.path, f);
  return { count: seen.size, files: [...seen.values()] };
}

/** For publishing: paths relative to the dataset root (with `/`; absolute when outside it or without one), sorted, at most `limit` listed. */
export function publishedUnreadable(u: Unreadable, root: string | null, limit = UNREADABLE_LISTED): Unreadable {
  const rel = (p: string): string => {
    if (root === null || !path.isAbsolute(p)) return p;
    const r = path.relative(root, p);
    return r.startsWith("..") || path.isAbsolute(r) ? p : toPosix(r);
  };
  const files = u.files.map((f) => ({ path: rel(f.path), reason: f.reason })).sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { count: Math.max(u.count, files.length), files: files.slice(0, limit) };
}

/** Writes the list into a folder; nothing when it is empty. */
export function writeUnreadable(dir: string, u: Unreadable): void {
  if (u.count > 0) writeFileAtomic(path.join(dir, UNREADABLE_FILE), `${JSON.stringify(u, null, 2)}\n`);
}

/** The list a folder holds; null when it holds none (or one that is not of this format). */
export function readUnreadable(dir: string): Unreadable | null {
  const file = path.join(dir, UNREADABLE_FILE);
  if (!existsSync(file)) return null;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v["count"] !== "number" || !Array.isArray(v["files"])) return null;
  const files: UnreadableImage[] = [];
  for (const f of v["files"]) if (isObject(f) && typeof f["path"] === "string" && typeof f["reason"] === "string") files.push({ path: f["path"], reason: f["reason"] });
  return { count: Math.max(v["count"], files.length), files };
}

/** `a/b.jpg (reason), c.png (reason), and 3 more`: the first `shown` files and how many others. */
export function listUnreadable(u: Unreadable, shown = 5): string {
  const more = u.count - Math.min(shown, u.files.length);
  return `${u.files.slice(0, shown).map((f) => `${f.path} (${f.reason})`).join(", ")}${more > 0 ? `, and ${more} more` : ""}`;
}

/** One line for a stage: `2 images could not be read and were replaced by the next image: a/b.jpg (reason), ...`. */
export function describeUnreadable(u: Unreadable, shown = 5): string {
  const [n, verb] = u.count === 1 ? ["1 image", "was"] : [`${u.count} images`, "were"];
  return `${n} could not be read and ${verb} replaced by the next image: ${listUnreadable(u, shown)}`;
}
