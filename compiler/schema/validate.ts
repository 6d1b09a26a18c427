/**
 * Runs ajv on a projected declaration and maps each ajv error onto a catalog diagnostic at
 * the source span of the offending value. ajv's own messages are never shown.
 */
import type { ErrorObject } from "ajv";
import { diag, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import type { Hints } from "../../core/diagnostics/hints.js";
import type { Span } from "../../core/source/span.js";
import { describeConstraint, describeType, valueText } from "../check/describe.js";
import { getAt, isObject, type Json, pointer, pointerParts } from "../../core/json.js";
import type { Projector } from "../check/project.js";
import type { ConstructorDef, FieldDef, TypeDesc } from "../types/desc.js";
import { CONSTRUCTORS } from "../types/registry.js";

import * as generated from "./validators.generated.js";

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Precompiled at build time (scripts/gen-validators.ts): no schema compilation at start-up. */
function validatorFor(def: ConstructorDef): Validator {
  const v = (generated as unknown as Record<string, Validator | undefined>)[def.name];
  if (!v) throw new Error(`no precompiled validator for \`${def.name}\` (rebuild with npm run build)`);
  return v;
}

export interface ValidationContext {
  def: ConstructorDef;
  projector: Projector;
  /** Span for errors about the whole declaration (missing fields). */
  headerSpan: Span;
  path: string[];
  hints: Hints;
}

export function validateDecl(data: Json, ctx: ValidationContext): Diagnostic[] {
  const validate = validatorFor(ctx.def);
  if (validate(data)) return [];
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    const d = mapError(e, data, ctx);
    if (d) out.push(d);
  }
  return out;
}

/** Whether the pointer or one above it failed to project (one look-up per level, not one per failure). */
function underFailed(ptr: string, failed: Set<string>): boolean {
  for (let at = ptr.length; at >= 0; at = ptr.lastIndexOf("/", at - 1)) {
    if (failed.has(ptr.slice(0, at))) return true;
    if (at === 0) break;
  }
  return false;
}

function mapError(e: ErrorObject, data: Json, ctx: ValidationContext): Diagnostic | undefined {
  const { projector } = ctx;
  const ptr = e.instancePath;
  if (underFailed(ptr, projector.failed)) return undefined;
  const path = [...ctx.path, ...pointerParts(ptr).filter((p) => p !== "value")];
  switch (e.keyword) {
    case "additionalProperties": {
      const prop = String((e.params as { additionalProperty: string }).additionalProperty);
      const p = pointer(ptr, prop);
      const fields = fieldsAt(ptr, data, ctx);
      const owner = ownerName(ptr, data, ctx);
      const span = projector.spans.keyAt(p) ?? ctx.headerSpan;
      const help = ctx.hints.didYouMean(span.file, prop, () => Object.keys(fields?.fields ?? {}));
      const fixes = help ? [{ message: `rename to \`${suggestionOf(help)}\``, edits: [{ span, text: suggestionOf(help) }] }] : [];
      return diag("UnknownField", span, { field: prop, ctor: owner }, { path: [...path, prop], ...(help ? { help } : {}), fixes });
    }
    case "required": {
      const prop = String((e.params as { missingProperty: string }).missingProperty);
      if (projector.failed.has(pointer(ptr, prop))) return undefined;
      const span = ptr === "" ? ctx.headerSpan : projector.spans.valueAt(ptr) ?? ctx.headerSpan;
      return diag("MissingField", span, { ctor: ownerName(ptr, data, ctx), field: prop }, { path: [...path, prop] });
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "type": {
      const at = typeAtValue(ptr, ctx);
      if (!at) return generic(e, ctx, path);
      const written = at.value ? valueText(at.value) : String(getAt(data, ptr));
      if (e.keyword === "type" && !(at.type.t === "int" || at.type.t === "quantity")) return generic(e, ctx, path);
      return diag("OutOfRange", spanOf(ptr, ctx), { field: at.field, constraint: describeConstraint(at.type), value: written }, { path });
    }
    case "multipleOf": {
      const at = typeAtValue(ptr, ctx);
      return diag("NotMultiple", spanOf(ptr, ctx), { field: at?.field ?? lastField(path), factor: Number((e.params as { multipleOf: number }).multipleOf), value: String(getAt(data, ptr)) }, { path });
    }
    case "enum": {
      const at = projector.types.get(ptr);
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const value = String(getAt(data, ptr));
      const span = spanOf(ptr, ctx);
      const help = ctx.hints.didYouMean(span.file, value, () => allowed);
      return diag("UnknownEnumValue", span, { value, field: at?.field ?? lastField(path), allowed: allowed.map((a) => `\`${a}\``).join(", ") }, { path, ...(help ? { help } : {}) });
    }
    case "minItems":
    case "minProperties": {
      const at = projector.types.get(ptr);
      return diag("ListTooShort", spanOf(ptr, ctx), { field: at?.field ?? lastField(path), min: Number((e.params as { limit: number }).limit) }, { path });
    }
    case "if":
    case "anyOf":
    case "const":
      return undefined;
    default:
      return generic(e, ctx, path);
  }
}

function suggestionOf(help: string): string {
  return /`([^`]+)`/.exec(help)?.[1] ?? help;
}

function generic(e: ErrorObject, ctx: ValidationContext, path: string[]): Diagnostic {
  const at = ctx.projector.types.get(e.instancePath);
  return diag("TypeMismatch", spanOf(e.instancePath, ctx), { field: at?.field ?? lastField(path), expected: at ? describeType(at.type) : "another value", found: "something else" }, { path });
}

function lastField(path: string[]): string {
  return [...path].reverse().find((p) => !/^\d+$/.test(p)) ?? "value";
}

function spanOf(ptr: string, ctx: ValidationContext): Span {
  return ctx.projector.spans.valueAt(ptr) ?? ctx.headerSpan;
}

/** The type for a value pointer; `/x/value` (inside a quantity) maps to `/x`. */
function typeAtValue(ptr: string, ctx: ValidationContext): { type: TypeDesc; field: string; value?: import("../../grammar/ast.js").Value } | undefined {
  const direct = ctx.projector.types.get(ptr);
  if (direct) return direct;
  if (ptr.endsWith("/value")) return ctx.projector.types.get(ptr.slice(0, -"/value".length));
  return undefined;
}

/** The fields of the record (or constructor record) at a pointer. */
function fieldsAt(ptr: string, data: Json, ctx: ValidationContext): { fields: Readonly<Record<string, FieldDef>>; name: string } | undefined {
  if (ptr === "") return { fields: ctx.def.fields, name: ctx.def.name };
  const v = getAt(data, ptr);
  if (isObject(v) && typeof v["$ctor"] === "string") {
    const def = CONSTRUCTORS.get(v["$ctor"]);
    if (def) return { fields: def.fields, name: def.name };
  }
  const t = ctx.projector.types.get(ptr)?.type;
  if (t?.t === "record") return { fields: t.fields, name: t.name };
  return undefined;
}

function ownerName(ptr: string, data: Json, ctx: ValidationContext): string {
  return fieldsAt(ptr, data, ctx)?.name ?? ctx.def.name;
}
