/** Projected JSON values and JSON Pointers (RFC 6901). */
import type { Span } from "./source/span.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The number of a projected quantity (`{ value, unit }` -> value); any other value as it is. */
export function magnitude(v: unknown): unknown {
  return typeof v === "object" && v !== null && "value" in v ? (v as { value: unknown }).value : v;
}

export function pointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

export function pointerParts(p: string): string[] {
  if (p === "") return [];
  return p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Where each projected value and each field name came from. */
export class SpanMap {
  readonly values = new Map<string, Span>();
  readonly keys = new Map<string, Span>();

  /** The span of the value at a pointer, or of its nearest ancestor. */
  valueAt(p: string): Span | undefined {
    for (let cur = p; ; cur = cur.slice(0, Math.max(0, cur.lastIndexOf("/")))) {
      const s = this.values.get(cur);
      if (s) return s;
      if (cur === "") return undefined;
    }
  }

  keyAt(p: string): Span | undefined {
    return this.keys.get(p) ?? this.valueAt(p);
  }
}

export function getAt(root: Json | undefined, p: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const part of pointerParts(p)) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isObject(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

/** Canonical JSON: object keys sorted at every level, so hashes and files are deterministic. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Pretty JSON with sorted keys (for files and `seer graph --format json`). */
export function sortedPretty(v: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJson(v)), null, 2);
}
