/**
 * The typed AST. Every node has a `span`; values are a discriminated union on `kind`.
 * Recovered (syntactically broken) parts become `error` values so later phases skip them.
 */
import type { Span } from "../core/source/span.js";

export interface Ident {
  name: string;
  span: Span;
}

export interface Comment {
  kind: "line" | "block" | "doc";
  text: string;
  span: Span;
}

export type Unit = "px" | "images" | "steps" | "epochs" | "%";

export interface NumberValue {
  kind: "number";
  /** The numeric value with count suffixes applied (`4K` is 4000). */
  value: number;
  /** The literal as written (`1_000`, `4K`, `1e-5`), for the formatter. */
  text: string;
  span: Span;
}

export interface QuantityValue {
  kind: "quantity";
  value: number;
  text: string;
  unit: Unit;
  /** The unit as written (`epoch`, `epochs`, `px`, `%`). */
  unitText: string;
  span: Span;
}

export interface StringValue {
  kind: "string";
  value: string;
  /** The literal with quotes and escapes, as written. */
  raw: string;
  span: Span;
}

export interface BoolValue {
  kind: "bool";
  value: boolean;
  span: Span;
}

export interface NoneValue {
  kind: "none";
  span: Span;
}

export interface ListValue {
  kind: "list";
  items: Value[];
  /** True when the source wrote the list on one line (a formatting hint only). */
  oneLine: boolean;
  span: Span;
}

export interface RangeValue {
  kind: "range";
  from: NumberValue | QuantityValue;
  to: NumberValue | QuantityValue;
  span: Span;
}

/** `0.3 per 256 images`: a value scaled linearly with the global batch. */
export interface RateValue {
  kind: "rate";
  value: NumberValue | QuantityValue;
  per: NumberValue | QuantityValue;
  span: Span;
}

export interface Field {
  name: Ident;
  /** `name = value` or the block form `name { ... }` (which amends a derived record). */
  form: "assign" | "block";
  value: Value;
  span: Span;
}

export interface RecordValue {
  kind: "record";
  fields: Field[];
  oneLine: boolean;
  span: Span;
}

/** `crop { ... }`, `lars { ... }`, `linear_probe { ... }`. */
export interface CtorValue {
  kind: "ctor";
  ctor: Ident[];
  body: RecordValue;
  span: Span;
}

/** `tiny`, `shapes.train`, `paper.imagenet.train`. */
export interface RefValue {
  kind: "ref";
  path: Ident[];
  span: Span;
}

/** `random_init(tiny).pool`: a call, then optional members. */
export interface CallValue {
  kind: "call";
  callee: Ident;
  args: Value[];
  member: Ident[];
  span: Span;
}

export interface ErrorValue {
  kind: "error";
  span: Span;
}

export type Value =
  | NumberValue
  | QuantityValue
  | StringValue
  | BoolValue
  | NoneValue
  | ListValue
  | RangeValue
  | RateValue
  | RecordValue
  | CtorValue
  | RefValue
  | CallValue
  | ErrorValue;

export interface ImportDecl {
  kind: "import";
  path: StringValue;
  alias: Ident;
  span: Span;
}

export interface ParamDecl {
  kind: "param";
  name: Ident;
  type: Ident;
  value: Value;
  doc?: string;
  span: Span;
}

export interface Declaration {
  kind: "decl";
  declKind: Ident;
  name: Ident;
  base?: RefValue | CallValue;
  body?: RecordValue;
  doc?: string;
  span: Span;
}

export type Item = ImportDecl | ParamDecl | Declaration;

export interface FileAst {
  kind: "file";
  items: Item[];
  comments: Comment[];
  /** `///` comments at the top of the file that document the module itself. */
  doc?: string;
  span: Span;
}
