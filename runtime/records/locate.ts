/**
 * What a RUN argument names: a record file, a run directory, a run id in the runs directory,
 * or a unique prefix of one. Existence only; reading is `readRecord`'s job.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

export type Located = { found: string } | { ambiguous: string[] } | { unknown: string[] };

/** `found` is a path for `readRecord`; `unknown` carries the run ids there are, for suggestions. */
export function locateRun(ref: string, runsDir: string): Located {
  if (existsSync(ref)) return { found: ref };
  let ids: string[] = [];
  try {
    ids = readdirSync(runsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    // no runs directory: nothing to match
  }
  if (ids.includes(ref)) return { found: path.join(runsDir, ref) };
  const matches = ref === "" ? [] : ids.filter((id) => id.startsWith(ref));
  if (matches.length === 1) return { found: path.join(runsDir, matches[0]!) };
  if (matches.length > 1) return { ambiguous: matches.sort() };
  return { unknown: ids };
}
