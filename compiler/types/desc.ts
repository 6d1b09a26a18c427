/**
 * Type descriptors: one definition per constructor and field. JSON Schemas (for ajv),
 * defaults, docs and error messages are all derived from these.
 *
 * Values are checked in a projected JSON form:
 *   number          -> number
 *   quantity        -> { value, unit }            (unit: px | images | steps | epochs | %)
 *   rate            -> { value, per?: { value, unit } }
 *   range           -> { from, to }
 *   reference       -> { $ref: "qualified.name" } (resolved in code, not by ajv)
 *   constructor rec -> { $ctor: "name", ...fields }
 *   none            -> null
 */
import type { Unit } from "../../grammar/ast.js";

export type DeclKind = "dataset" | "model" | "pretrain" | "eval" | "suite" | "report";
export const DECL_KINDS: readonly DeclKind[] = ["dataset", "model", "pretrain", "eval", "suite", "report"];

/** What a reference may point at. */
export type RefTarget = "model" | "pretrain" | "dataset" | "split" | "features" | "eval" | "suite";

export type TypeDesc =
  | { t: "int"; min?: number; exclusiveMin?: number; max?: number; multipleOf?: number; what?: string }
  | { t: "number"; min?: number; exclusiveMin?: number; max?: number; exclusiveMax?: number; what?: string }
  | { t: "bool" }
  | { t: "string"; what?: string }
  | { t: "enum"; values: readonly string[] }
  /** A free bare name (a column or attribute name), not resolved. */
  | { t: "symbol" }
  | { t: "quantity"; units: readonly Unit[]; exclusiveMin?: number; min?: number; max?: number; integer?: boolean; what: string }
  /** A number, or `N per M images` (scaled linearly with the global batch). */
  | { t: "rate" }
  | { t: "range"; what: string }
  | { t: "list"; of: TypeDesc; minItems?: number }
  | { t: "record"; name: string; fields: Readonly<Record<string, FieldDef>> }
  /** A map with free keys (`splits { train = 80%  test = 20% }`). */
  | { t: "map"; of: TypeDesc; minItems?: number }
  /** A constructor record; `refKind` also admits a reference to a declaration of that kind. */
  | { t: "ctor"; ctors: readonly string[]; refKind?: DeclKind }
  | { t: "ref"; to: readonly RefTarget[] }
  /** Either of two types (tried in order; the first that fits the written value wins). */
  | { t: "either"; of: readonly [TypeDesc, TypeDesc] };

export interface FieldDef {
  type: TypeDesc;
  doc: string;
  /** Default in projected JSON form; absent = required unless `optional`. */
  default?: unknown;
  optional?: boolean;
  /** `none` is a valid value. */
  nullable?: boolean;
}

export interface ConstructorDef {
  name: string;
  /** The declaration kind it makes, or "value" for records used inside fields. */
  makes: DeclKind | "value";
  doc: string;
  fields: Readonly<Record<string, FieldDef>>;
}

// ---- helpers used by the constructor definitions --------------------------------

export const int = (o: Omit<Extract<TypeDesc, { t: "int" }>, "t"> = {}): TypeDesc => ({ t: "int", ...o });
export const num = (o: Omit<Extract<TypeDesc, { t: "number" }>, "t"> = {}): TypeDesc => ({ t: "number", ...o });
export const bool: TypeDesc = { t: "bool" };
export const str = (what?: string): TypeDesc => (what ? { t: "string", what } : { t: "string" });
export const oneOf = (...values: string[]): TypeDesc => ({ t: "enum", values });
export const symbol: TypeDesc = { t: "symbol" };
export const listOf = (of: TypeDesc, minItems?: number): TypeDesc => (minItems === undefined ? { t: "list", of } : { t: "list", of, minItems });
export const ref = (...to: RefTarget[]): TypeDesc => ({ t: "ref", to });
export const ctor = (ctors: string[], refKind?: DeclKind): TypeDesc => (refKind ? { t: "ctor", ctors, refKind } : { t: "ctor", ctors });
export const rate: TypeDesc = { t: "rate" };

export const DURATION_UNITS: readonly Unit[] = ["images", "steps", "epochs"];
export const duration = (o: { allowPercent?: boolean; min?: number } = {}): TypeDesc => ({
  t: "quantity",
  units: o.allowPercent ? [...DURATION_UNITS, "%"] : DURATION_UNITS,
  what: o.allowPercent ? "images, steps, epochs or a percentage of the run" : "images, steps or epochs",
  ...(o.min === undefined ? { exclusiveMin: 0 } : { min: o.min }),
});
export const epochs = (): TypeDesc => ({ t: "quantity", units: ["epochs"], what: "epochs", exclusiveMin: 0 });
export const images = (): TypeDesc => ({ t: "quantity", units: ["images"], what: "a number of images", exclusiveMin: 0, integer: true });
export const pixels = (): TypeDesc => ({ t: "quantity", units: ["px"], what: "a size in pixels", exclusiveMin: 0, integer: true });
export const percent = (): TypeDesc => ({ t: "quantity", units: ["%"], what: "a percentage", min: 0, max: 100 });

export const q = (value: number, unit: Unit): { value: number; unit: Unit } => ({ value, unit });
export const perImages = (value: number, per: number): { value: number; per: { value: number; unit: Unit } } => ({ value, per: q(per, "images") });
export const field = (type: TypeDesc, doc: string, extra: Omit<FieldDef, "type" | "doc"> = {}): FieldDef => ({ type, doc, ...extra });
