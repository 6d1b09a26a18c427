/** Field-level differences between two JSON values, located by JSON Pointer (RFC 6901). */
import { isObject, pointer } from "../../core/json.js";

export interface FieldChange {
  /** JSON Pointer into the compared values, e.g. `/settings/epochs/value` ("" for the whole value). */
  path: string;
  /** The value in A; absent when A lacks the field. */
  a?: unknown;
  /** The value in B; absent when B lacks the field. */
  b?: unknown;
}

/** Leaves that differ; objects key by key (A's order, then B's new keys), arrays index by index. */
export function diffJson(a: unknown, b: unknown, path = ""): FieldChange[] {
  if (a === undefined && b === undefined) return [];
  if (a === undefined) return [{ path, b }];
  if (b === undefined) return [{ path, a }];
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => diffJson(a[i], b[i], pointer(path, i))).flat();
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diffJson(a[k], b[k], pointer(path, k)));
  }
  return a === b ? [] : [{ path, a, b }];
}
