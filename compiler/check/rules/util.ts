/** Small helpers shared by the domain rules. */
import type { Span } from "../../../core/source/span.js";
import type { CheckedDecl } from "../checker.js";
import { isObject, type Json } from "../../../core/json.js";

export function spanAt(d: CheckedDecl, ptr: string): Span {
  return d.spans.valueAt(ptr) ?? d.info.ast.base?.span ?? d.info.ast.name.span;
}

export interface Quantity {
  value: number;
  unit: string;
}

export function asQuantity(v: Json | undefined): Quantity | undefined {
  if (isObject(v) && typeof v["value"] === "number" && typeof v["unit"] === "string") return { value: v["value"], unit: v["unit"] };
  return undefined;
}

export function qText(q: Quantity): string {
  if (q.unit === "%" || q.unit === "px") return `${fmt(q.value)}${q.unit}`;
  return `${fmt(q.value)} ${q.value === 1 ? q.unit.replace(/s$/, "") : q.unit}`;
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

/** Whether `a` reaches or passes `total` (when comparable: same unit, or a percentage). */
export function atOrPast(a: Quantity, total: Quantity): boolean {
  if (a.unit === "%") return a.value >= 100;
  return a.unit === total.unit && a.value >= total.value;
}
