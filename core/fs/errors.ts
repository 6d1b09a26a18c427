/**
 * Filesystem failures that are the user's environment, not a bug in seer: a read-only or full
 * disk, a path of the wrong type, no permission. The CLI reports them with the path and what to
 * do, exit 3 (never "internal error", exit 70).
 */

const ADVICE: Record<string, string> = {
  EROFS: "the file system is read-only; run from a writable folder",
  ENOSPC: "the disk is full; free some space (or move the project), then rerun: finished stages stay cached",
  EDQUOT: "the disk quota is used up; free some space, then rerun",
  ENOTDIR: "a part of the path is a file, not a folder; move that file away",
  EEXIST: "a file stands where seer needs a folder (or the other way round); move it away",
  EISDIR: "a folder stands where seer needs a file; move it away",
  EACCES: "permission denied; check the folder's owner and mode",
  EPERM: "the operation is not permitted there; check the folder's owner and mode",
  EIO: "the disk (or network file system) reported an input/output error; check it, then rerun: finished stages stay cached",
  EMFILE: "too many open files; raise the limit (ulimit -n)",
  ENAMETOOLONG: "the path is too long; use a shorter folder",
};

export interface FsProblem {
  code: string;
  path: string | null;
  message: string;
}

/** A filesystem error from Node (with `code` and usually `path`) that is the environment's, or null. */
export function fsProblem(e: unknown): FsProblem | null {
  if (!(e instanceof Error) || !("code" in e) || typeof e.code !== "string") return null;
  const advice = ADVICE[e.code];
  if (advice === undefined) return null;
  const where = "path" in e && typeof e.path === "string" ? e.path : null;
  const dest = "dest" in e && typeof e.dest === "string" ? ` -> ${e.dest}` : "";
  return { code: e.code, path: where, message: `${where ? `cannot use ${where}${dest}` : "a file operation failed"} (${e.code}): ${advice}` };
}
