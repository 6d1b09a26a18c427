/**
 * Projects AST values onto plain JSON, guided by the field types, recording for every
 * JSON Pointer the source span and the expected type. ajv then validates the JSON and its
 * errors are mapped back through these maps. References are resolved here (via the
 * checker's resolver); everything else about values is left to the schema.
 */
import type * as A from "../../grammar/ast.js";
import { diag, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import type { Hints } from "../../core/diagnostics/hints.js";
import { didYouMean } from "../../core/diagnostics/suggest.js";
import type { Span } from "../../core/source/span.js";
import { CONSTRUCTORS } from "../types/registry.js";
import type { FieldDef, TypeDesc } from "../types/desc.js";
import type { Scope } from "../resolve/scope.js";
import { scopeNames } from "../resolve/scope-names.js";
import { describeType, describeValue, valueText } from "./describe.js";
import { type Json, type JsonObject, pointer, SpanMap } from "../../core/json.js";
import { resolvedName } from "./names.js";
import type { Resolved } from "./resolved.js";

/** A field as seen after derivation: its AST, the scope it was written in, merged sub-fields. */
export interface FieldEntry {
  name: string;
  field: A.Field;
  scope: Scope;
  /** For block-form fields amending an inherited record: the merged sub-fields. */
  sub?: Map<string, FieldEntry>;
  /** The constructor of the inherited record the block form amends (`optimizer { lr = ... }`). */
  subCtor?: string;
}

export interface TypeAt {
  type: TypeDesc;
  field: string;
  /** The AST value at this pointer (for "found" descriptions). */
  value?: A.Value;
}

export interface RefResolver {
  /** Resolves a reference for a field that takes references; reports its own errors. */
  resolveRef(v: A.RefValue | A.CallValue, to: TypeDesc & { t: "ref" }, scope: Scope, path: string[]): Resolved | undefined;
  /** A reference to a declaration of a kind (for `probe = linear`). */
  resolveDeclRef(v: A.RefValue, kind: string, ctors: readonly string[], scope: Scope, path: string[]): Resolved | undefined;
  /** The value of a parameter named by a bare reference, if it is one. */
  paramValue(v: A.RefValue, scope: Scope): { value: A.Value; scope: Scope; name: string } | undefined;
}

export class Projector {
  readonly spans = new SpanMap();
  readonly types = new Map<string, TypeAt>();
  readonly refs = new Map<string, Resolved>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly resolver: RefResolver,
    private readonly hints: Hints,
  ) {}

  /** Projects the fields of a constructor record (top-level declaration or nested). */
  record(entries: Map<string, FieldEntry>, fields: Readonly<Record<string, FieldDef>>, ptr: string, path: string[], ctorName?: string): JsonObject {
    const out: JsonObject = {};
    if (ctorName !== undefined) out["$ctor"] = ctorName;
    for (const [name, e] of entries) {
      const p = pointer(ptr, name);
      this.spans.keys.set(p, e.field.name.span);
      this.spans.values.set(p, e.field.value.span);
      const def = fields[name];
      if (!def) {
        out[name] = true; // ajv reports the unknown field (additionalProperties)
        continue;
      }
      if (def.nullable && e.field.value.kind === "none" && !e.sub) {
        this.types.set(p, { type: def.type, field: name, value: e.field.value });
        out[name] = null;
        continue;
      }
      const v = this.value(e, def.type, p, [...path, name], name);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  private value(e: FieldEntry, type: TypeDesc, ptr: string, path: string[], fieldName: string): Json | undefined {
    if (e.sub && (type.t === "record" || type.t === "map")) {
      this.types.set(ptr, { type, field: fieldName, value: e.field.value });
      return this.record(e.sub, type.t === "record" ? type.fields : {}, ptr, path);
    }
    if (e.sub && type.t === "ctor" && e.subCtor) {
      const def = CONSTRUCTORS.get(e.subCtor);
      this.types.set(ptr, { type, field: fieldName, value: e.field.value });
      if (def && type.ctors.includes(def.name)) return this.record(e.sub, def.fields, ptr, path, def.name);
    }
    return this.project(e.field.value, type, ptr, path, fieldName, e.scope);
  }

  project(v: A.Value, type: TypeDesc, ptr: string, path: string[], fieldName: string, scope: Scope): Json | undefined {
    this.spans.values.set(ptr, v.span);
    this.types.set(ptr, { type, field: fieldName, value: v });
    if (v.kind === "error") return void this.failed.add(ptr);

    // A bare name: an enum value or symbol when the type says so; else maybe a parameter.
    if (v.kind === "ref" && v.path.length === 1) {
      const base = type.t === "either" ? pickEither(type, v) : type;
      if (base.t === "enum" || base.t === "symbol") return v.path[0]!.name;
      if (base.t === "list" && (base.of.t === "enum" || base.of.t === "symbol")) return [v.path[0]!.name];
      // Any other bare name where a value is expected may name a parameter: see plain().
    }

    switch (type.t) {
      case "either":
        return this.project(v, pickEither(type, v), ptr, path, fieldName, scope);
      case "ref":
        if (v.kind === "ref" || v.kind === "call") {
          const r = this.resolver.resolveRef(v, type, scope, path);
          if (!r) return void this.failed.add(ptr);
          this.refs.set(ptr, r);
          return { $ref: resolvedName(r, scope.module) };
        }
        return this.plain(v, ptr, path, fieldName, scope);
      case "ctor":
        return this.ctorValue(v, type, ptr, path, fieldName, scope);
      case "record":
        if (v.kind === "record") return this.record(entriesOf(v, scope, this.diagnostics), type.fields, ptr, path);
        return this.plain(v, ptr, path, fieldName, scope);
      case "map":
        if (v.kind === "record") {
          const out: JsonObject = {};
          for (const [name, e] of entriesOf(v, scope, this.diagnostics)) {
            const p = pointer(ptr, name);
            this.spans.keys.set(p, e.field.name.span);
            const pv = this.value(e, type.of, p, [...path, name], fieldName);
            if (pv !== undefined) out[name] = pv;
          }
          return out;
        }
        return this.plain(v, ptr, path, fieldName, scope);
      case "list":
        if (v.kind === "list") {
          const out: Json[] = [];
          v.items.forEach((item, i) => {
            const pv = this.project(item, type.of, pointer(ptr, i), [...path, String(i)], fieldName, scope);
            out.push(pv === undefined ? null : pv);
          });
          return out;
        }
        return this.plain(v, ptr, path, fieldName, scope);
      case "rate":
        if (v.kind === "number") return { value: v.value };
        return this.plain(v, ptr, path, fieldName, scope);
      default:
        return this.plain(v, ptr, path, fieldName, scope);
    }
  }

  /** Leaf values: the shape must fit the type here; value constraints are ajv's job. */
  private plain(v: A.Value, ptr: string, path: string[], fieldName: string, scope: Scope): Json | undefined {
    const type = this.types.get(ptr)!.type;
    if (v.kind === "ref" && v.path.length === 1) {
      const param = this.resolver.paramValue(v, scope);
      if (param) return this.project(param.value, type, ptr, path, fieldName, param.scope);
      if (!scope.symbols.has(v.path[0]!.name)) {
        const help = this.hints.didYouMean(v.span.file, v.path[0]!.name, () => scopeNames(scope, { params: true }));
        return this.fail(ptr, diag("UnknownName", v.span, { what: "parameter", name: v.path[0]!.name }, { path, ...(help ? { help } : {}) }));
      }
    }
    switch (type.t) {
      case "int":
      case "number":
        if (v.kind === "number") return v.value;
        break;
      case "bool":
        if (v.kind === "bool") return v.value;
        break;
      case "string":
      case "enum":
      case "symbol":
        if (v.kind === "string") return v.value;
        break;
      case "quantity":
        if (v.kind === "quantity") {
          if (!type.units.includes(v.unit)) {
            return this.fail(ptr, diag("WrongUnit", v.span, { field: fieldName, expected: type.what, value: valueText(v), found: describeValue(v) }, { path }));
          }
          return { value: v.value, unit: v.unit };
        }
        if (v.kind === "number") {
          const unit = type.units[0] === "%" ? "%" : type.units[type.units.length - 1] === "%" ? type.units[0]! : type.units[0]!;
          const example = unit === "%" || unit === "px" ? `${v.text}${unit}` : `${v.text} ${unit}`;
          return this.fail(ptr, diag("TypeMismatch", v.span, { field: fieldName, expected: type.what, found: describeValue(v) }, { path, help: `write the unit: \`${example}\`` }));
        }
        break;
      case "rate":
        if (v.kind === "rate") {
          if (v.value.kind !== "number") break;
          if (v.per.kind !== "quantity" || v.per.unit !== "images") {
            return this.fail(ptr, diag("WrongUnit", v.per.span, { field: fieldName, expected: "a rate per a number of images (`0.3 per 256 images`)", value: valueText(v.per), found: describeValue(v.per) }, { path }));
          }
          return { value: v.value.value, per: { value: v.per.value, unit: "images" } };
        }
        break;
      case "range":
        if (v.kind === "range" && v.from.kind === "number" && v.to.kind === "number") return { from: v.from.value, to: v.to.value };
        if (v.kind === "range" && v.from.kind === "quantity" && v.from.unit === "%" && v.to.kind === "quantity" && v.to.unit === "%") {
          const fraction = (q: A.Value & { kind: "quantity" }) => String(Number((q.value / 100).toPrecision(12)));
          return this.fail(ptr, diag("TypeMismatch", v.span, { field: fieldName, expected: describeType(type), found: describeValue(v) }, { path, help: `write fractions: \`${fraction(v.from)}..${fraction(v.to)}\`` }));
        }
        break;
      default:
        break;
    }
    return this.fail(ptr, diag("TypeMismatch", v.span, { field: fieldName, expected: describeType(type), found: describeValue(v) }, { path }));
  }

  /** Records a shape error; ajv errors under this pointer are then suppressed. */
  readonly failed = new Set<string>();
  private fail(ptr: string, d: Diagnostic): undefined {
    this.failed.add(ptr);
    this.diagnostics.push(d);
    return undefined;
  }

  private ctorValue(v: A.Value, type: TypeDesc & { t: "ctor" }, ptr: string, path: string[], fieldName: string, scope: Scope): Json | undefined {
    if (v.kind === "ref" && type.refKind) {
      const r = this.resolver.resolveDeclRef(v, type.refKind, type.ctors, scope, path);
      if (!r) return void this.failed.add(ptr);
      this.refs.set(ptr, r);
      return { $ref: resolvedName(r, scope.module) };
    }
    if (v.kind !== "ctor") return this.plain(v, ptr, path, fieldName, scope);
    const name = v.ctor.map((i) => i.name).join(".");
    const def = CONSTRUCTORS.get(name);
    if (!def || !type.ctors.includes(name)) {
      const span: Span = { file: v.span.file, start: v.ctor[0]!.span.start, end: v.ctor[v.ctor.length - 1]!.span.end };
      if (!def) {
        const help = didYouMean(name, type.ctors);
        return this.fail(ptr, diag("UnknownConstructor", span, { name }, { path, ...(help ? { help } : {}) }));
      }
      return this.fail(ptr, diag("TypeMismatch", span, { field: fieldName, expected: describeType(type), found: describeValue(v) }, { path }));
    }
    return this.record(entriesOf(v.body, scope, this.diagnostics), def.fields, ptr, path, name);
  }
}

function pickEither(type: TypeDesc & { t: "either" }, v: A.Value): TypeDesc {
  const [a, b] = type.of;
  return fits(a, v) || !fits(b, v) ? a : b;
}

function fits(t: TypeDesc, v: A.Value): boolean {
  switch (t.t) {
    case "string": return v.kind === "string";
    case "quantity": return v.kind === "quantity";
    case "int":
    case "number": return v.kind === "number";
    default: return false;
  }
}

/** The fields of one record literal, reporting duplicates (the first one wins). */
export function entriesOf(rec: A.RecordValue, scope: Scope, diagnostics: Diagnostic[]): Map<string, FieldEntry> {
  const out = new Map<string, FieldEntry>();
  for (const f of rec.fields) {
    const prev = out.get(f.name.name);
    if (prev) {
      diagnostics.push(diag("DuplicateField", f.name.span, { field: f.name.name }, { labels: [{ span: prev.field.name.span, message: "first set here" }] }));
      continue;
    }
    out.set(f.name.name, { name: f.name.name, field: f, scope });
  }
  return out;
}
