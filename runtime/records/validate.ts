/**
 * Checks parsed record data against `RECORD_SCHEMA` (ajv) and the sources' digests, and turns
 * every failure into a readable problem line: where (`stages[0].status`) and what is wrong.
 * ajv's own messages are never shown. The schema is compiled on first use.
 */
import { createHash } from "node:crypto";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { RecordError } from "./errors.js";
import { RECORD_FORMAT, RECORD_VERSION, type RunRecord } from "./record.js";
import { ISO_TIME, RECORD_SCHEMA, RUN_ID, SHA256_HEX } from "./schema.js";
import { getAt, pointerParts, type Json } from "../../core/json.js";

const MAX_PROBLEMS = 8;
let compiled: ValidateFunction | undefined;

/** The record, typed, or a `RecordError` naming `file` and every problem found. */
export function validateRecord(data: unknown, file: string): RunRecord {
  const obj = data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  if (obj?.["format"] !== RECORD_FORMAT) throw new RecordError(file, `is not a seer run record (it has no \`format: ${RECORD_FORMAT}\`)`);
  const version = obj["version"];
  if (typeof version === "number" && version > RECORD_VERSION) {
    throw new RecordError(file, `was written by a newer seer (record version ${version}; this seer reads version ${RECORD_VERSION})`);
  }
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(RECORD_SCHEMA);
  const problems = compiled(data) ? sourceProblems(data as RunRecord) : (compiled.errors ?? []).map((e) => describeError(e, data));
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push(`... and ${problems.length - MAX_PROBLEMS} more`);
    throw new RecordError(file, "is not a valid run record", shown);
  }
  return data as RunRecord;
}

/** Hex sha256 of a recipe source text, as `recipe.sources[].sha256` holds it. */
export function sourceSha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function sourceProblems(r: RunRecord): string[] {
  return r.recipe.sources.flatMap((s, i) => (sourceSha256(s.text) === s.sha256 ? [] : [`recipe.sources[${i}].sha256: does not match the text of \`${s.path}\``]));
}

const PATTERNS: Record<string, string> = {
  [ISO_TIME]: "an ISO 8601 time like 2026-11-26T15:30:12Z",
  [SHA256_HEX]: "64 lowercase hex digits",
  [RUN_ID]: "letters, digits, `.`, `_` and `-`",
};

function describeError(e: ErrorObject, data: unknown): string {
  const segments = pointerParts(e.instancePath);
  const found = () => `found ${describeValue(getAt(data as Json, e.instancePath))}`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `${where([...segments, String(p["missingProperty"])])}: missing`;
    case "additionalProperties":
      return `${where([...segments, String(p["additionalProperty"])])}: unknown field`;
    case "type":
      return `${where(segments)}: expected ${[p["type"]].flat().map(typeName).join(" or ")}, ${found()}`;
    case "enum":
      return `${where(segments)}: expected one of ${(p["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, ${found()}`;
    case "const":
      return `${where(segments)}: expected ${JSON.stringify(p["allowedValue"])}, ${found()}`;
    case "pattern":
      return `${where(segments)}: expected ${PATTERNS[String(p["pattern"])] ?? `text matching ${String(p["pattern"])}`}, ${found()}`;
    case "minimum":
      return `${where(segments)}: must be at least ${String(p["limit"])}, ${found()}`;
    case "minLength":
      return `${where(segments)}: must not be empty`;
    default:
      return `${where(segments)}: fails the \`${e.keyword}\` rule`;
  }
}

/** `stages[0].status`, `metrics.quickstart["swav_tiny.pool"]`; "(the record)" for the root. */
function where(segments: string[]): string {
  if (segments.length === 0) return "(the record)";
  return segments
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `${i === 0 ? "" : "."}${s}` : `[${JSON.stringify(s)}]`))
    .join("");
}

function typeName(t: unknown): string {
  return t === "object" ? "an object" : t === "array" ? "a list" : t === "integer" ? "a whole number" : t === "null" ? "null" : `a ${String(t)}`;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
