/**
 * `RecordError`: a run record that cannot be read or is not a valid record. The message names
 * the file and lists what is wrong, one problem a line; the CLI prints it as is (exit 3).
 */
import path from "node:path";

export class RecordError extends Error {
  override readonly name = "RecordError";
  constructor(
    /** The record file (or run directory) the error is about. */
    readonly file: string,
    /** One sentence about the whole file, e.g. "is not valid JSON". */
    readonly summary: string,
    /** What is wrong, one entry per problem (`stages[0].status: expected one of ...`). */
    readonly problems: readonly string[] = [],
  ) {
    super(`\`${displayPath(file)}\` ${summary}${problems.length > 0 ? `:\n${problems.map((p) => `  - ${p}`).join("\n")}` : "."}`);
  }
}

/** A path relative to the working directory when it lies below it, else absolute. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(file) : rel;
}
