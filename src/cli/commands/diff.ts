/** `seer diff RUN_A RUN_B [--format text|markdown|json] [--dir runs]`: what differs between two runs. */
import { didYouMean } from "../../../core/diagnostics/suggest.js";
import type { Located } from "../../../runtime/records/locate.js";
import { EXIT, UsageError } from "../errors.js";

export interface DiffOptions {
  format: string;
  dir?: string;
}

export async function runDiff(refA: string, refB: string, opts: DiffOptions): Promise<number> {
  const format = opts.format;
  if (format !== "text" && format !== "markdown" && format !== "json") throw new UsageError(`Unknown --format \`${format}\`; expected text, markdown or json.`);
  const dir = opts.dir ?? "runs";
  const { diffRecords, locateRun, readRecord, renderDiff } = await import("../../../runtime/records/index.js");
  const read = (ref: string) => readRecord(found(ref, dir, locateRun(ref, dir)));
  process.stdout.write(renderDiff(diffRecords(read(refA), read(refB)), format));
  return EXIT.ok;
}

function found(ref: string, dir: string, l: Located): string {
  if ("found" in l) return l.found;
  if ("ambiguous" in l) throw new UsageError(`\`${ref}\` matches ${l.ambiguous.length} runs in \`${dir}\`.`, `name one of ${l.ambiguous.slice(0, 5).join(", ")}${l.ambiguous.length > 5 ? ", ..." : ""}`);
  const list = `seer runs${dir === "runs" ? "" : ` --dir ${dir}`}`;
  throw new UsageError(
    `Unknown run \`${ref}\`: not a record file, a run directory, or a run id in \`${dir}\`.`,
    didYouMean(ref, l.unknown) ?? (l.unknown.length > 0 ? `\`${list}\` lists the runs` : `\`${dir}\` holds no runs`),
  );
}
