/**
 * Diagnostics are data. Every phase collects them (never throws them); renderers turn the
 * same `Diagnostic[]` into text, JSON, SARIF or GitHub annotations.
 */
import type { Span } from "../source/span.js";
import { CATALOG, type DiagName } from "./catalog.js";

export type Severity = "error" | "warning" | "info";

/** A secondary span with a short text ("declared here"). */
export interface Label {
  span: Span;
  message: string;
}

/** A machine-applicable edit. */
export interface Edit {
  span: Span;
  text: string;
}

export interface Fix {
  message: string;
  edits: Edit[];
}

export interface Diagnostic {
  name: DiagName;
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  labels?: Label[];
  /** The data path in the recipe, e.g. ["swav_tiny", "sinkhorn", "epsilon"]. */
  path?: string[];
  notes?: string[];
  help?: string;
  fixes?: Fix[];
}

export type DiagParams = Record<string, string | number>;

export interface DiagExtras {
  labels?: Label[];
  path?: string[];
  notes?: string[];
  help?: string;
  fixes?: Fix[];
}

/** Builds a diagnostic from the catalog: message text is never assembled at call sites. */
export function diag(name: DiagName, span: Span, params: DiagParams = {}, extras: DiagExtras = {}): Diagnostic {
  const entry = CATALOG[name];
  const d: Diagnostic = {
    name,
    code: entry.code,
    severity: entry.severity,
    message: fillTemplate(entry.message, params),
    span,
  };
  if (extras.labels && extras.labels.length > 0) d.labels = extras.labels;
  if (extras.path && extras.path.length > 0) d.path = extras.path;
  if (extras.notes && extras.notes.length > 0) d.notes = extras.notes;
  if (extras.help !== undefined) d.help = extras.help;
  if (extras.fixes && extras.fixes.length > 0) d.fixes = extras.fixes;
  return d;
}

export function fillTemplate(template: string, params: DiagParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    return v === undefined ? whole : String(v);
  });
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Stable order: by file, then offset, then code. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** Removes exact duplicates (same code, file, offset and message). */
export function dedupe(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const key = `${d.code}\u0000${d.span.file}\u0000${d.span.start}\u0000${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

/** Diagnostics kept per file; the rest are summarised in a note on the last one kept. */
export const MAX_PER_FILE = 100;

export function capPerFile(diags: readonly Diagnostic[], max = MAX_PER_FILE, noun = "diagnostics"): Diagnostic[] {
  const counts = new Map<string, number>();
  const out: Diagnostic[] = [];
  const lastKept = new Map<string, Diagnostic>();
  for (const d of diags) {
    const n = (counts.get(d.span.file) ?? 0) + 1;
    counts.set(d.span.file, n);
    if (n <= max) {
      out.push(d);
      lastKept.set(d.span.file, d);
    }
  }
  for (const [file, n] of counts) {
    const last = lastKept.get(file);
    if (n > max && last) last.notes = [...(last.notes ?? []), `${n - max} more ${noun} in this file are not shown.`];
  }
  return out;
}
