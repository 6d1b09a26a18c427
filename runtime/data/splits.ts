/**
 * Deterministic splits. `splitByHash` assigns each item by a hash of (seed, item key), so
 * an item keeps its split when other items are added or removed (file datasets);
 * `splitByCount` gives exact counts (the first N% of a seeded permutation), for datasets
 * whose items are fixed by construction (synthetic).
 */
import { DataError } from "./errors.js";
import { derive, hashString } from "./rng.js";
import type { SplitSpec as ContractSplit } from "../../contract/specs.js";

/** A dataset spec's parts, in declaration order (contract/specs.ts). */
export type RecipeSplits = readonly ContractSplit[];

export type SplitSpec =
  /** Fractions (0..1) in declaration order; they add up to 1. */
  | { readonly kind: "fractions"; readonly parts: readonly (readonly [string, number])[] }
  /** Sub-folders (image_folder) or values of a `split` column (manifest). */
  | { readonly kind: "named"; readonly parts: readonly (readonly [string, string])[] };

/** Indices of the items in each split, ascending. */
export type Splits = Readonly<Record<string, readonly number[]>>;

/** Converts a spec's parts; fractions must add up to 1 and not mix with names. */
export function splitSpec(splits: RecipeSplits): SplitSpec {
  if (splits.length === 0) throw new DataError("split-invalid", "A split map needs at least one part.");
  const named = splits.flatMap((p) => ("folder" in p ? [[p.name, p.folder] as const] : []));
  if (named.length === splits.length) return { kind: "named", parts: named };
  if (named.length > 0) throw new DataError("split-invalid", "Splits are either all percentages or all names, not a mix.");
  return { kind: "fractions", parts: fractions(splits.map((p) => [p.name, "fraction" in p ? p.fraction : 0] as const)) };
}

function fractions(parts: readonly (readonly [string, number])[]): readonly (readonly [string, number])[] {
  let total = 0;
  for (const [name, f] of parts) {
    if (!(f >= 0 && f <= 1)) throw new DataError("split-invalid", `Split \`${name}\` is ${f * 100}%, outside 0..100%.`);
    total += f;
  }
  if (Math.abs(total - 1) > 1e-6) throw new DataError("split-invalid", `Split percentages add up to ${+(total * 100).toFixed(4)}%, not 100%.`);
  return parts;
}

/** Maps a 32-bit hash to [0, 1). */
const unit = (h: number): number => h / 4294967296;

/** The split an item with this key goes to (declaration order of cumulative fractions). */
export function splitOfKey(key: string, parts: readonly (readonly [string, number])[], seed = 0): string {
  const x = unit(hashString(key, seed, 0x73706c74));
  let acc = 0;
  let last = "";
  for (const [name, f] of parts) {
    acc += f;
    last = name;
    if (x < acc && f > 0) return name;
  }
  // Rounding at the top end: the last non-empty part.
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i]![1] > 0) return parts[i]![0];
  return last;
}

/** Assigns items by hashed key: stable under additions, approximately the requested fractions. */
export function splitByHash(keys: readonly string[], parts: readonly (readonly [string, number])[], seed = 0): Splits {
  fractions(parts);
  const out: Record<string, number[]> = {};
  for (const [name] of parts) out[name] = [];
  keys.forEach((k, i) => out[splitOfKey(k, parts, seed)]!.push(i));
  return out;
}

/**
 * Exact part sizes for n items: floor(n·f) each, with the remainder going one by one to the
 * parts with the largest fractional remainders (ties to the earlier part). `splitByCount`
 * assigns exactly these sizes, and planning reports them without assigning anything.
 */
export function splitSizes(n: number, parts: readonly (readonly [string, number])[]): number[] {
  fractions(parts);
  const sizes = parts.map(([, f]) => Math.floor(n * f + 1e-9));
  let rest = n - sizes.reduce((a, b) => a + b, 0);
  const order = parts.map(([, f], i) => [i, n * f - Math.floor(n * f + 1e-9)] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of order) {
    if (rest <= 0) break;
    if (parts[i]![1] > 0) {
      sizes[i]!++;
      rest--;
    }
  }
  return sizes;
}

/**
 * Exact counts (`splitSizes`): part j takes the next positions of a seeded permutation of
 * 0..n-1. Indices in each part are ascending.
 */
export function splitByCount(n: number, parts: readonly (readonly [string, number])[], seed = 0): Splits {
  const sizes = splitSizes(n, parts);
  const perm = derive(seed, 0x73706c74, n).permutation(n);
  const out: Record<string, number[]> = {};
  let at = 0;
  parts.forEach(([name], j) => {
    out[name] = Array.from(perm.subarray(at, at + sizes[j]!).sort());
    at += sizes[j]!;
  });
  return out;
}
