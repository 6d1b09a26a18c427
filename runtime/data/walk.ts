/** Listing image files under a folder, with the sizes and times that fingerprints use. */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { DataError } from "./errors.js";
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

/**
 * All image files (by extension, case-insensitive) under `dir`, recursively, sorted by
 * relative path (code-unit order). Hidden files and folders (`.name`) are skipped;
 * symbolic links are followed.
 */
export async function listImages(dir: string, filter: (name: string) => boolean = isImageFile): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  async function visit(abs: string, rel: string): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const a = path.join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      let isDir = e.isDirectory(), isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const s = await stat(a).catch(() => null);
        isDir = !!s?.isDirectory();
        isFile = !!s?.isFile();
      }
      if (isDir) await visit(a, r);
      else if (isFile && filter(e.name)) {
        const s = await stat(a);
        out.push({ rel: r, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) });
      }
    }
  }
  await visit(dir, "");
  return out.sort((x, y) => (x.rel < y.rel ? -1 : x.rel > y.rel ? 1 : 0));
}

/** Immediate sub-folders of `dir` (not hidden), sorted. */
export async function subFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(path.join(dir, e.name)).catch(() => null))?.isDirectory())) names.push(e.name);
  }
  return names.sort();
}

/** Stats one file for a FileEntry, or null if it is missing or not a file. */
export async function entryOf(root: string, rel: string): Promise<FileEntry | null> {
  const s = await stat(path.join(root, rel)).catch(() => null);
  return s?.isFile() ? { rel: toPosix(rel), size: s.size, mtimeMs: Math.trunc(s.mtimeMs) } : null;
}
