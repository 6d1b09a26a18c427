/** Flushing files and folders to disk before a rename publishes them. */
import { closeSync, fsyncSync, openSync } from "node:fs";

function fsyncPath(p: string): void {
  const fd = openSync(p, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncFile(file: string): void {
  fsyncPath(file);
}

/** Flushes a folder's entries (renames into it); a no-op where the file system cannot fsync a folder. */
export function fsyncDir(dir: string): void {
  try {
    fsyncPath(dir);
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  }
}
