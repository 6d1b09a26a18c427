/**
 * Table files: CSV (RFC 4180: header row, `"quoted, fields"`, `""` escapes, newlines
 * inside quotes, LF or CRLF, optional BOM) and JSONL (one JSON object per line).
 */
import { DataError } from "./errors.js";

export interface TableRow {
  /** 1-based line where the row starts. */
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
}

/** Splits CSV text into records of fields, with the line each record starts on. */
function records(text: string, file: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1, start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false, any = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== "" || any) out.push({ line: start, fields });
    fields = [];
    field = "";
    any = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      any = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      any = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += ch;
      any = true;
    }
    i++;
  }
  if (quoted) throw new DataError("manifest-parse", `${file}:${start}: a quoted field is never closed.`, file);
  if (any || field !== "" || fields.length > 0) endRecord();
  return out;
}

export function parseCsv(text: string, file = "<csv>"): Table {
  const recs = records(text, file);
  const header = recs[0];
  if (!header) throw new DataError("manifest-parse", `${file} is empty (a CSV manifest needs a header row).`, file);
  const columns = header.fields.map((c) => c.trim());
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup !== undefined) throw new DataError("manifest-parse", `${file}: column \`${dup}\` appears twice in the header.`, file);
  const rows: TableRow[] = [];
  for (const r of recs.slice(1)) {
    if (r.fields.length !== columns.length) {
      throw new DataError("manifest-parse", `${file}:${r.line}: ${r.fields.length} fields, but the header has ${columns.length}.`, file);
    }
    const values: Record<string, string> = {};
    columns.forEach((c, j) => (values[c] = r.fields[j]!));
    rows.push({ line: r.line, values });
  }
  return { columns, rows };
}

/** JSONL: each non-blank line an object; values become strings (null/absent: missing). */
export function parseJsonl(text: string, file = "<jsonl>"): Table {
  const rows: TableRow[] = [];
  const columns = new Set<string>();
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
  lines.forEach((raw, n) => {
    if (raw.trim() === "") return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      throw new DataError("manifest-parse", `${file}:${n + 1}: not valid JSON (${e instanceof Error ? e.message : String(e)}).`, file);
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new DataError("manifest-parse", `${file}:${n + 1}: each line must be a JSON object.`, file);
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) {
      columns.add(k);
      if (v === null || v === undefined) continue;
      values[k] = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
    }
    rows.push({ line: n + 1, values });
  });
  return { columns: [...columns], rows };
}

/** Parses by extension (.csv, .jsonl, .ndjson), else by content (a leading `{` means JSONL). */
export function parseTable(text: string, file: string): Table {
  const lower = file.toLowerCase();
  if (lower.endsWith(".csv")) return parseCsv(text, file);
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return parseJsonl(text, file);
  return text.replace(/^\ufeff/, "").trimStart().startsWith("{") ? parseJsonl(text, file) : parseCsv(text, file);
}
