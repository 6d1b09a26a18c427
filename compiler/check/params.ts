/**
 * Parameters: `param NAME: TYPE = DEFAULT`, overridable with `--set NAME=VALUE` (the
 * override is parsed as a seer value and type-checked; its diagnostics point into the
 * command line).
 */
import type * as A from "../../grammar/ast.js";
import { parseValueSource } from "../../grammar/parse.js";
import { diag, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { didYouMean } from "../../core/diagnostics/suggest.js";
import type { Module, Program } from "../modules/load.js";
import type { ParamInfo, Scope } from "../resolve/scope.js";
import { SourceFile } from "../../core/source/source-file.js";
import { describeValue } from "./describe.js";
import { pushAll } from "../../core/arrays.js";

export interface ParamOverride {
  /** The raw `NAME=VALUE` text. */
  text: string;
}

type ParamType = { units?: A.Unit[]; kinds: A.Value["kind"][]; noun: string };

export const PARAM_TYPES: Record<string, ParamType> = {
  int: { kinds: ["number"], noun: "a whole number" },
  number: { kinds: ["number"], noun: "a number" },
  string: { kinds: ["string"], noun: "a string" },
  bool: { kinds: ["bool"], noun: "a boolean" },
  images: { kinds: ["quantity"], units: ["images"], noun: "a number of images" },
  steps: { kinds: ["quantity"], units: ["steps"], noun: "a number of steps" },
  epochs: { kinds: ["quantity"], units: ["epochs"], noun: "a number of epochs" },
  duration: { kinds: ["quantity"], units: ["images", "steps", "epochs"], noun: "a duration (images, steps or epochs)" },
  px: { kinds: ["quantity"], units: ["px"], noun: "a size in pixels" },
  percent: { kinds: ["quantity"], units: ["%"], noun: "a percentage" },
};

export function checkParams(program: Program, scopes: Map<Module, Scope>, overrides: ParamOverride[], out: Diagnostic[]): Map<ParamInfo, { value: A.Value; scopeModule: Module }> {
  const result = new Map<ParamInfo, { value: A.Value; scopeModule: Module }>();
  const rootParams = new Map<string, ParamInfo>();
  for (const [mod, scope] of scopes) {
    for (const sym of scope.symbols.values()) {
      if (sym.k !== "param") continue;
      const p = sym.param;
      const type = PARAM_TYPES[p.ast.type.name];
      if (!type) {
        const help = didYouMean(p.ast.type.name, Object.keys(PARAM_TYPES));
        out.push(diag("UnknownParamType", p.ast.type.span, { type: p.ast.type.name }, help ? { help } : {}));
        continue;
      }
      const v = coerce(p.ast.value, type);
      if (checkValue(p, v, type, out)) result.set(p, { value: v, scopeModule: mod });
      if (program.roots.includes(mod)) rootParams.set(p.name, p);
    }
  }
  overrides.forEach((o, i) => {
    const file = overrides.length === 1 ? "--set" : `--set#${i + 1}`;
    const source = new SourceFile(file, o.text);
    program.files.set(file, source);
    const eq = o.text.indexOf("=");
    const name = eq > 0 ? o.text.slice(0, eq).trim() : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      out.push(diag("InvalidOverride", { file, start: 0, end: o.text.length }, { text: o.text }));
      return;
    }
    const p = rootParams.get(name);
    if (!p) {
      const help = didYouMean(name, rootParams.keys());
      out.push(diag("UnknownParam", { file, start: 0, end: eq }, { name }, help ? { help } : {}));
      return;
    }
    const parsed = parseValueSource(file, o.text, eq + 1);
    pushAll(out, parsed.diagnostics);
    if (parsed.diagnostics.length > 0) return;
    const type = PARAM_TYPES[p.ast.type.name];
    if (!type) return;
    const v = coerce(parsed.value, type);
    // A bad override is reported here alone: the uses are checked with the declared value.
    if (checkValue(p, v, type, out)) result.set(p, { value: v, scopeModule: p.module });
  });
  return result;
}

/** A bare number given to a single-unit type takes that unit (`--set epochs=2`). */
function coerce(v: A.Value, type: ParamType): A.Value {
  if (v.kind === "number" && type.units && type.units.length === 1) {
    const unit = type.units[0]!;
    return { kind: "quantity", value: v.value, text: v.text, unit, unitText: unit === "%" ? "%" : unit, span: v.span };
  }
  return v;
}

function checkValue(p: ParamInfo, v: A.Value, type: ParamType, out: Diagnostic[]): boolean {
  if (v.kind === "ref" || v.kind === "call" || v.kind === "record" || v.kind === "ctor") {
    out.push(diag("NotAConstant", v.span));
    return false;
  }
  const okKind = type.kinds.includes(v.kind);
  const okUnit = v.kind !== "quantity" || !type.units || type.units.includes(v.unit);
  const okInt = p.ast.type.name !== "int" || (v.kind === "number" && Number.isInteger(v.value));
  if (okKind && okUnit && okInt) return true;
  out.push(diag("ParamTypeMismatch", v.span, { name: p.name, type: type.noun, found: describeValue(v) }));
  return false;
}
