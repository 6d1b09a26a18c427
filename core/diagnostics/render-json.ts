/**
 * The JSON contract for CI and editors (version 1). Positions are 1-based line and column
 * (UTF-16 code units) plus the 0-based offset. The keys are exactly those of the issue's
 * contract (`path`, `help` and `fixes` only when present); secondary labels and notes are
 * in the text and SARIF outputs. Changing this shape is a breaking change.
 */
import type { SourceFile } from "../source/source-file.js";
import type { Span } from "../source/span.js";
import type { Diagnostic } from "./diagnostic.js";

export interface JsonPosition {
  line: number;
  column: number;
  offset: number;
}

export interface JsonRange {
  start: JsonPosition;
  end: JsonPosition;
}

export interface JsonDiagnostic {
  code: string;
  severity: Diagnostic["severity"];
  message: string;
  file: string;
  range: JsonRange;
  path?: string[];
  help?: string;
  fixes?: { message: string; edits: { file: string; range: JsonRange; text: string }[] }[];
}

export interface JsonReport {
  version: 1;
  diagnostics: JsonDiagnostic[];
  summary: { errors: number; warnings: number; files: number };
}

export function toRange(span: Span, files: ReadonlyMap<string, SourceFile>): JsonRange {
  const f = files.get(span.file);
  if (!f) return { start: { line: 1, column: 1, offset: span.start }, end: { line: 1, column: 1, offset: span.end } };
  return { start: f.positionAt(span.start), end: f.positionAt(span.end) };
}

export function toJsonDiagnostic(d: Diagnostic, files: ReadonlyMap<string, SourceFile>): JsonDiagnostic {
  const out: JsonDiagnostic = { code: d.code, severity: d.severity, message: d.message, file: d.span.file, range: toRange(d.span, files) };
  if (d.path) out.path = d.path;
  if (d.help) out.help = d.help;
  if (d.fixes) out.fixes = d.fixes.map((f) => ({ message: f.message, edits: f.edits.map((e) => ({ file: e.span.file, range: toRange(e.span, files), text: e.text })) }));
  return out;
}

export function renderJson(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>, fileCount: number): JsonReport {
  return {
    version: 1,
    diagnostics: diags.map((d) => toJsonDiagnostic(d, files)),
    summary: {
      errors: diags.filter((d) => d.severity === "error").length,
      warnings: diags.filter((d) => d.severity === "warning").length,
      files: fileCount,
    },
  };
}
