/**
 * A half-open range [start, end) of 0-based UTF-16 offsets in one file.
 * `file` is the path as the user gave it (or a virtual name such as `--set`).
 */
export interface Span {
  file: string;
  start: number;
  end: number;
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end: Math.max(start, end) };
}

/** The smallest span covering both (same file assumed). */
export function join(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
