/**
 * rustc-style text output: header, locator, code frame with `^` under the primary span and
 * `-` under labels, then notes and help. Plain ASCII; colour only when asked for.
 */
import { printable } from "./printable.js";
import type { SourceFile } from "../source/source-file.js";
import type { Diagnostic, Severity } from "./diagnostic.js";

export interface TextOptions {
  color: boolean;
  files: ReadonlyMap<string, SourceFile>;
}

const COLORS: Record<Severity | "bold" | "blue" | "reset", string> = {
  error: "\u001b[1;31m",
  warning: "\u001b[1;33m",
  info: "\u001b[1;36m",
  bold: "\u001b[1m",
  blue: "\u001b[1;34m",
  reset: "\u001b[0m",
};

const MAX_FRAME_WIDTH = 160;

export function renderText(diags: readonly Diagnostic[], opts: TextOptions): string {
  const c = (k: keyof typeof COLORS, s: string) => (opts.color ? `${COLORS[k]}${s}${COLORS.reset}` : s);
  const parts = diags.map((d) => renderOne(d, opts, c));
  return parts.join("\n");
}

function renderOne(d: Diagnostic, opts: TextOptions, c: (k: keyof typeof COLORS, s: string) => string): string {
  const lines: string[] = [];
  lines.push(`${c(d.severity, `${d.severity}[${d.code}]`)}${c("bold", `: ${printable(d.message)}`)}`);
  const file = opts.files.get(d.span.file);
  const labels = (d.labels ?? []).filter((l) => l.span.file === d.span.file);
  // Width of the line-number column: the largest line number shown.
  const gutter = file ? String(Math.max(...[d.span.start, ...labels.map((l) => l.span.start)].map((o) => file.positionAt(o).line))).length : 1;
  const pad = " ".repeat(gutter);
  if (!file) {
    lines.push(`  --> ${printable(d.span.file)}`);
  } else {
    const start = file.positionAt(d.span.start);
    const end = file.positionAt(Math.max(d.span.start, d.span.end - 1));
    lines.push(`${pad}${c("blue", "-->")} ${printable(d.span.file)}:${start.line}:${start.column}`);
    lines.push(`${pad} ${c("blue", "|")}`);
    const marks = [
      { line: start.line, col: start.column, len: end.line === start.line ? Math.max(1, end.column - start.column + 1) : Math.max(1, file.lineText(start.line).length - start.column + 1), ch: "^", text: "", primary: true },
      ...labels.map((l) => {
        const p = file.positionAt(l.span.start);
        const e = file.positionAt(Math.max(l.span.start, l.span.end - 1));
        return { line: p.line, col: p.column, len: e.line === p.line ? Math.max(1, e.column - p.column + 1) : 1, ch: "-", text: printable(l.message), primary: false };
      }),
    ].sort((a, b) => a.line - b.line);
    for (const m of marks) {
      const { text, shift } = clip(file.lineText(m.line), m.col);
      const col = m.col - shift;
      const len = Math.max(1, Math.min(m.len, text.length - col + 2));
      lines.push(`${c("blue", String(m.line).padStart(gutter))} ${c("blue", "|")} ${text}`);
      const under = `${" ".repeat(Math.max(0, col - 1))}${m.ch.repeat(len)}${m.text ? ` ${m.text}` : ""}`;
      lines.push(`${pad} ${c("blue", "|")} ${m.primary ? c(d.severity, under) : c("blue", under)}`);
    }
    lines.push(`${pad} ${c("blue", "|")}`);
  }
  if (d.path) lines.push(`${pad} = path: ${printable(d.path.join("."))}`);
  for (const n of d.notes ?? []) lines.push(`${pad} = note: ${printable(n)}`);
  if (d.help) lines.push(`${pad} = ${c("bold", "help")}: ${printable(d.help)}`);
  return `${lines.join("\n")}\n`;
}

/** Long lines are shown around the column, with `...` marking cut text. */
function clip(line: string, col: number): { text: string; shift: number } {
  const clean = line.replace(/\t/g, " ").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "?");
  if (clean.length <= MAX_FRAME_WIDTH) return { text: clean, shift: 0 };
  const start = Math.max(0, col - 1 - MAX_FRAME_WIDTH / 2);
  const body = clean.slice(start, start + MAX_FRAME_WIDTH);
  const prefix = start > 0 ? "..." : "";
  const suffix = start + MAX_FRAME_WIDTH < clean.length ? "..." : "";
  return { text: `${prefix}${body}${suffix}`, shift: start - prefix.length };
}

export function summaryLine(errors: number, warnings: number, files: number): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  if (errors === 0 && warnings === 0) return `Checked ${plural(files, "file")}: no problems found.`;
  return `Found ${plural(errors, "error")} and ${plural(warnings, "warning")} in ${plural(files, "file")}.`;
}
