/** Human descriptions of types, values and constraints, for diagnostics. */
import type { Value } from "../../grammar/ast.js";
import type { TypeDesc } from "../types/desc.js";
import { orList } from "../../core/diagnostics/suggest.js";

const UNIT_NOUN: Record<string, string> = {
  px: "a length in pixels",
  images: "a number of images",
  steps: "a number of steps",
  epochs: "a number of epochs",
  "%": "a percentage",
};

export function describeValue(v: Value): string {
  switch (v.kind) {
    case "number": return "a number without a unit";
    case "quantity": return UNIT_NOUN[v.unit] ?? "a quantity";
    case "string": return "a string";
    case "bool": return "a boolean";
    case "none": return "`none`";
    case "list": return "a list";
    case "range": {
      const from = describeValue(v.from);
      return from === describeValue(v.to) ? `a range of ${plural(from)}` : "a range";
    }
    case "rate": return "a scaled rate";
    case "record": return "a record";
    case "ctor": return `a \`${v.ctor.map((i) => i.name).join(".")}\` record`;
    case "ref": return `a reference (\`${v.path.map((i) => i.name).join(".")}\`)`;
    case "call": return `a call of \`${v.callee.name}\``;
    case "error": return "not a valid value";
  }
}

/** The value as written, for messages (`224px`, `20 epochs`, `0.3..1.4`). */
export function valueText(v: Value): string {
  switch (v.kind) {
    case "number": return v.text;
    case "quantity": return v.unit === "%" || v.unit === "px" ? `${v.text}${v.unitText}` : `${v.text} ${v.unitText}`;
    case "range": return `${valueText(v.from)}..${valueText(v.to)}`;
    case "rate": return `${valueText(v.value)} per ${valueText(v.per)}`;
    case "string": return v.raw.length > 40 ? `${v.raw.slice(0, 37)}..."` : v.raw;
    case "bool": return String(v.value);
    case "none": return "none";
    case "ref": return v.path.map((i) => i.name).join(".");
    default: return describeValue(v);
  }
}

export function describeType(t: TypeDesc): string {
  switch (t.t) {
    case "int": return t.what ? `a whole number of ${t.what}` : "a whole number";
    case "number": return "a number";
    case "bool": return "`true` or `false`";
    case "string": return t.what ? `a string (${t.what})` : "a string";
    case "enum": return orList(t.values.map((v) => `\`${v}\``));
    case "symbol": return "a bare name";
    case "quantity": return t.what;
    case "rate": return "a number or a scaled rate (`0.3 per 256 images`)";
    case "range": return `${t.what} (\`lo..hi\`)`;
    case "list": return `a list of ${plural(describeType(t.of))}`;
    case "record": return `a \`${t.name} { ... }\` record`;
    case "map": return "a record of named entries";
    case "ctor": return orList(t.ctors.map((c) => `\`${c} { ... }\``)) + (t.refKind ? ` or a reference to ${article(t.refKind)}` : "");
    case "ref": return orList(t.to.map(describeRefTarget));
    case "either": return `${describeType(t.of[0])} or ${describeType(t.of[1])}`;
  }
}

export function describeRefTarget(t: string): string {
  switch (t) {
    case "split": return "a dataset split (`data.train`)";
    case "features": return "a feature tap (`pretrained.pool`)";
    case "pretrain": return "a reference to a pretraining";
    default: return `a reference to ${article(t)}`;
  }
}

export function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function plural(desc: string): string {
  return desc.replace(/^an? /, "").replace(/^(\w+)/, "$1s").replace(/^(\w+)ss\b/, "$1s");
}

/** "a positive whole number of channels", "greater than 0", "between 0 and 1". */
export function describeConstraint(t: TypeDesc): string {
  if (t.t === "int") {
    const of = t.what ? ` of ${t.what}` : "";
    const positive = t.exclusiveMin === 0 || t.min === 1;
    let s = positive ? `a positive whole number${of}` : t.min !== undefined ? `a whole number${of} of at least ${t.min}` : `a whole number${of}`;
    if (t.max !== undefined) s += ` no larger than ${t.max}`;
    return s;
  }
  if (t.t === "number" || t.t === "quantity") {
    const lo = t.exclusiveMin !== undefined ? `greater than ${t.exclusiveMin}` : t.min !== undefined ? `at least ${t.min}` : undefined;
    const hiV = t.t === "number" ? t.exclusiveMax : undefined;
    const hi = hiV !== undefined ? `less than ${hiV}` : t.max !== undefined ? `at most ${t.max}` : undefined;
    return [lo, hi].filter(Boolean).join(" and ") || "a valid number";
  }
  return describeType(t);
}
