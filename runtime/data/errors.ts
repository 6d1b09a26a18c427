/**
 * Data errors and problem reports. A `DataError` stops a run before training starts (a
 * missing root, an unparsable manifest); a `DataReport` collects per-image problems
 * (unreadable, corrupt or missing files) that are skipped, each path reported once, and the
 * symbolic links a folder walk did not follow.
 */

export type DataErrorCode =
  | "root-missing"
  | "root-empty"
  | "not-a-folder"
  | "manifest-missing"
  | "manifest-parse"
  | "manifest-column"
  | "class-count"
  | "split-missing"
  | "split-invalid"
  | "ground-truth"
  | "no-images"
  | "bad-options";

export class DataError extends Error {
  override readonly name = "DataError";
  constructor(
    readonly code: DataErrorCode,
    message: string,
    /** The file or folder the error is about, when there is one. */
    readonly path?: string,
  ) {
    super(message);
  }
}

export type ProblemReason = "empty-file" | "unreadable" | "corrupt" | "missing" | "bad-row" | "no-class" | "outside-root";

export interface Problem {
  readonly path: string;
  readonly reason: ProblemReason;
  readonly detail: string;
}

/**
 * A symbolic link a folder walk did not follow (runtime/data/walk.ts): it leads to a folder
 * that holds it (`loop`: following it would never end), or to a folder or image that was
 * already read (`repeat`: its images would be counted twice).
 */
export interface SkippedLink {
  /** The link, absolute. */
  readonly path: string;
  /** Where it leads: the real path of its target. */
  readonly target: string;
  readonly reason: "loop" | "repeat";
  /** Where the target was read (absolute): the folder it loops back to, or its first place. */
  readonly readAs: string;
}

/** Problems met while scanning or decoding, each path once (the first reason wins), and the links not followed. */
export class DataReport {
  private readonly byPath = new Map<string, Problem>();
  private readonly skippedLinks: SkippedLink[] = [];

  add(path: string, reason: ProblemReason, detail = ""): boolean {
    if (this.byPath.has(path)) return false;
    this.byPath.set(path, { path, reason, detail: oneLine(detail) });
    return true;
  }

  merge(other: DataReport | readonly Problem[]): void {
    const list = other instanceof DataReport ? other.problems : other;
    for (const p of list) this.add(p.path, p.reason, p.detail);
    if (other instanceof DataReport) this.addLinks(other.links);
  }

  addLinks(links: readonly SkippedLink[]): void {
    this.skippedLinks.push(...links);
  }

  /** Symbolic links not followed, in the order the walk met them. */
  get links(): readonly SkippedLink[] {
    return this.skippedLinks;
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  get count(): number {
    return this.byPath.size;
  }

  get problems(): readonly Problem[] {
    return [...this.byPath.values()];
  }

  /** Counts by reason. */
  counts(): Partial<Record<ProblemReason, number>> {
    const c: Partial<Record<ProblemReason, number>> = {};
    for (const p of this.byPath.values()) c[p.reason] = (c[p.reason] ?? 0) + 1;
    return c;
  }

  /** A human summary: one line per problem (at most `limit`), then a count of the rest. */
  summary(limit = 20): string {
    if (this.byPath.size === 0) return "no problems";
    const lines = [`${this.byPath.size} image(s) skipped:`];
    let n = 0;
    for (const p of this.byPath.values()) {
      if (n++ >= limit) break;
      lines.push(`  ${p.reason}: ${p.path}${p.detail ? ` (${p.detail})` : ""}`);
    }
    if (this.byPath.size > limit) lines.push(`  ... and ${this.byPath.size - limit} more`);
    return lines.join("\n");
  }

  toJSON(): { count: number; problems: readonly Problem[]; links: readonly SkippedLink[] } {
    return { count: this.count, problems: this.problems, links: this.links };
  }
}

function oneLine(s: string): string {
  const line = s.split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
