/** Writes a file so that readers see the old content or the new, never half of it. */
import { chmodSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fsyncDir, fsyncFile } from "./fsync.js";

/**
 * `durable`: the content and the rename reach the disk before this returns (checkpoints).
 * `mode`: the permission bits the new file gets (a rewritten user file keeps its own).
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, o: { durable?: boolean; mode?: number } = {}): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    if (o.mode !== undefined) chmodSync(tmp, o.mode);
    if (o.durable) fsyncFile(tmp);
    renameSync(tmp, file);
    if (o.durable) fsyncDir(path.dirname(file));
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw e;
  }
}
