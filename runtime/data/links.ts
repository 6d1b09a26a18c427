/** The symbolic links a walk did not follow, in words: for diagnostics, stage logs and dataset summaries. */
import path from "node:path";
import type { SkippedLink } from "./errors.js";
import { toPosix } from "./walk.js";

/** A path under `root` relative to it (with `/`), else as it is. */
function shown(p: string, root: string): string {
  const rel = path.relative(root, p);
  return rel === "" ? "the dataset root" : rel.startsWith("..") || path.isAbsolute(rel) ? p : toPosix(rel);
}

/** `cat/up -> /data/photos: a loop back to the dataset root, which holds the link`, paths under the dataset root relative to it. */
export function describeLink(l: SkippedLink, root: string): string {
  const why = l.reason === "loop" ? `a loop back to ${shown(l.readAs, root)}, which holds the link` : `read already as ${shown(l.readAs, root)}`;
  return `${shown(l.path, root)} -> ${l.target}: ${why}`;
}

/** The links in words, at most `limit` of them, then how many more. */
export function describeLinks(links: readonly SkippedLink[], root: string, limit = 20): string[] {
  const lines = links.slice(0, limit).map((l) => describeLink(l, root));
  if (links.length > limit) lines.push(`... and ${links.length - limit} more`);
  return lines;
}
