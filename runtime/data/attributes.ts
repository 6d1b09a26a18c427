/**
 * Per-image attributes that fairness evaluations group by (a manifest's attribute columns, a
 * synthetic dataset's `group`), as small integer codes, the form feature files store, with
 * the value each code stands for. Codes number the distinct values in order: numbers by
 * value, before other strings, which are ordered by UTF-16 code units (no locale), so every
 * host codes a dataset alike and a synthetic `group` is its own code.
 */
import type { FileDataset } from "./dataset.js";

export interface AttributeColumn {
  /** Code per image, in dataset order. */
  readonly codes: Int32Array;
  /** The value of each code: `values[code]`. */
  readonly values: readonly string[];
}

/** Attribute columns by attribute name. */
export type Attributes = Readonly<Record<string, AttributeColumn>>;

const NUMBER = /^-?\d+(\.\d+)?$/;

function compareValues(a: string, b: string): number {
  const na = NUMBER.test(a);
  const nb = NUMBER.test(b);
  if (na && nb) return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Codes for one attribute's value per image. */
export function codeAttribute(values: readonly string[]): AttributeColumn {
  const distinct = [...new Set(values)].sort(compareValues);
  const code = new Map(distinct.map((v, i) => [v, i]));
  return { codes: Int32Array.from(values, (v) => code.get(v)!), values: distinct };
}

/** The attribute columns a file dataset's items carry (a manifest's `attributes`; none for a folder). */
export function fileAttributes(ds: Pick<FileDataset, "items" | "attributes">): Attributes {
  return Object.fromEntries(ds.attributes.map((a) => [a, codeAttribute(ds.items.map((it) => it.attributes[a] ?? ""))]));
}

/** A synthetic dataset's `group` attribute: group g of `count` is code g. */
export function groupAttribute(groups: Int32Array, count: number): Attributes {
  return { group: { codes: groups, values: Array.from({ length: count }, (_, g) => String(g)) } };
}
