/**
 * Listing image files under folders, with the sizes and times that fingerprints use.
 * Symbolic links are followed, but every real folder and every real image is read once: the
 * folders themselves first, then the links in the order met, and a link that leads to a
 * folder holding it (a loop) or to a folder or image already read is not followed and is
 * reported (docs/data.md, "Symbolic links").
 */
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { DataError, type SkippedLink } from "./errors.js";
import { isImageFile } from "./image.js";

/** A file, by its path relative to a root (always with `/`), size in bytes and mtime in whole ms. */
export interface FileEntry {
  readonly rel: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Throws a typed error unless `dir` exists and is a folder. */
export async function requireFolder(dir: string, what = "dataset root"): Promise<void> {
  const s = await stat(dir).catch(() => null);
  if (!s) throw new DataError("root-missing", `The ${what} ${dir} does not exist.`, dir);
  if (!s.isDirectory()) throw new DataError("not-a-folder", `The ${what} ${dir} is not a folder.`, dir);
}

export const toPosix = (p: string): string => (path.sep === "/" ? p : p.split(path.sep).join("/"));

/** The image files under each of some folders (sorted by relative path), and the links not followed. */
export interface Walk {
  readonly files: readonly (readonly FileEntry[])[];
  readonly links: readonly SkippedLink[];
}

/** Where a walk is: which root, the folder (as reached and as it really is), and the folders above it. */
interface At {
  readonly root: number;
  readonly abs: string;
  readonly rel: string;
  readonly real: string;
  /** dev:ino of the folders from the root down to here. */
  readonly ancestors: ReadonlySet<string>;
  /** Whether this folder was reached through a link (its contents may then have been read already). */
  readonly viaLink: boolean;
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const idOf = (s: { dev: number; ino: number }): string => `${s.dev}:${s.ino}`;

/**
 * All image files (by extension, case-insensitive) under each of `roots`, recursively, sorted
 * by relative path (code-unit order). Hidden files and folders (`.name`) are skipped.
 * Links are followed once every root's own folders are read, each real folder and image at
 * most once across all the roots; the links not followed are returned.
 */
export async function walkImages(roots: readonly string[], filter: (name: string) => boolean = isImageFile): Promise<Walk> {
  const files: FileEntry[][] = roots.map(() => []);
  const links: SkippedLink[] = [];
  const dirsRead = new Map<string, string>(); // dev:ino -> where it was read
  const filesRead = new Map<string, string>(); // real path -> where it was read
  const pending: { at: At; name: string }[] = [];

  const skip = (link: string, target: string, readAs: string, loop: boolean) => links.push({ path: link, target, reason: loop ? "loop" : "repeat", readAs });

  async function addFile(at: At, name: string, real: string, abs: string): Promise<void> {
    const first = filesRead.get(real);
    if (first !== undefined && at.viaLink) {
      skip(abs, real, first, false);
      return;
    }
    if (first === undefined) filesRead.set(real, abs);
    const s = await stat(abs);
    files[at.root]!.push({ rel: at.rel ? `${at.rel}/${name}` : name, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) });
  }

  async function enter(at: At, name: string, real: string, id: string, viaLink: boolean): Promise<void> {
    const abs = path.join(at.abs, name);
    const first = dirsRead.get(id);
    if (first !== undefined && (viaLink || at.viaLink || at.ancestors.has(id))) {
      skip(abs, real, first, at.ancestors.has(id));
      return;
    }
    if (first === undefined) dirsRead.set(id, abs);
    await read({ root: at.root, abs, rel: at.rel ? `${at.rel}/${name}` : name, real, ancestors: new Set([...at.ancestors, id]), viaLink: viaLink || at.viaLink });
  }

  async function read(at: At): Promise<void> {
    const entries = (await readdir(at.abs, { withFileTypes: true })).filter((e) => !e.name.startsWith(".")).sort(byName);
    for (const e of entries) {
      const abs = path.join(at.abs, e.name);
      if (e.isSymbolicLink()) pending.push({ at, name: e.name });
      else if (e.isDirectory()) await enter(at, e.name, path.join(at.real, e.name), idOf(await stat(abs)), false);
      else if (e.isFile() && filter(e.name)) await addFile(at, e.name, path.join(at.real, e.name), abs);
    }
  }

  async function follow(at: At, name: string): Promise<void> {
    const abs = path.join(at.abs, name);
    const s = await stat(abs).catch(() => null);
    if (!s || !(s.isDirectory() || (s.isFile() && filter(name)))) return; // dangling, or not an image: as before, nothing to read
    const real = await realpath(abs);
    if (s.isDirectory()) await enter(at, name, real, idOf(s), true);
    else await addFile({ ...at, viaLink: true }, name, real, abs);
  }

  for (let root = 0; root < roots.length; root++) {
    const abs = roots[root]!;
    const s = await stat(abs);
    const id = idOf(s);
    if (!dirsRead.has(id)) dirsRead.set(id, abs);
    await read({ root, abs, rel: "", real: await realpath(abs), ancestors: new Set([id]), viaLink: false });
  }
  for (let i = 0; i < pending.length; i++) await follow(pending[i]!.at, pending[i]!.name);
  const byRel = (x: FileEntry, y: FileEntry): number => (x.rel < y.rel ? -1 : x.rel > y.rel ? 1 : 0);
  return { files: files.map((f) => f.sort(byRel)), links };
}

/** All image files under `dir` (walkImages of one root, without the links it did not follow). */
export async function listImages(dir: string, filter: (name: string) => boolean = isImageFile): Promise<FileEntry[]> {
  return [...(await walkImages([dir], filter)).files[0]!];
}

/** Stats one file for a FileEntry, or null if it is missing or not a file. */
export async function entryOf(root: string, rel: string): Promise<FileEntry | null> {
  const s = await stat(path.join(root, rel)).catch(() => null);
  return s?.isFile() ? { rel: toPosix(rel), size: s.size, mtimeMs: Math.trunc(s.mtimeMs) } : null;
}
