/**
 * `manifest`: images listed in a CSV or JSONL file, one row per image, with an image path
 * column, an optional label column and attribute columns (names from the recipe). Paths
 * are relative to `root` (default: the manifest's folder). Labels that are all
 * non-negative integers are used as class indices; otherwise the distinct label strings,
 * sorted, are the classes. Rows without an image path and files that are missing, empty
 * or unreadable are reported and skipped.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { DataError, DataReport } from "./errors.js";
import { parseTable, type Table } from "./csv.js";
import { resolveFrom, verifyItems, type FileDataset, type ImageItem, type VerifyOptions } from "./dataset.js";
import { splitByHash, splitSpec, type RecipeSplits, type Splits } from "./splits.js";
import { toPosix } from "./walk.js";

export interface ManifestOptions extends VerifyOptions {
  readonly file: string;
  readonly root?: string;
  /** Column of the image path (default `path`). */
  readonly image?: string;
  /** Column of the label (default `label`); null for unlabelled. */
  readonly label?: string | null;
  readonly attributes?: readonly string[];
  readonly classes?: number;
  /** Named splits are values of a `split` column; percentages are hashed from the image path. */
  readonly splits?: RecipeSplits | null;
  readonly splitSeed?: number;
}

/** The column that named splits read. */
export const SPLIT_COLUMN = "split";

async function readTable(file: string): Promise<Table> {
  const s = await stat(file).catch(() => null);
  if (!s?.isFile()) throw new DataError("manifest-missing", `The manifest ${file} does not exist.`, file);
  return parseTable(await readFile(file, "utf8"), file);
}

function requireColumns(t: Table, file: string, names: readonly string[]): void {
  for (const n of names) {
    if (!t.columns.includes(n)) {
      throw new DataError("manifest-column", `The manifest ${file} has no column \`${n}\` (columns: ${t.columns.map((c) => `\`${c}\``).join(", ") || "none"}).`, file);
    }
  }
}

/** Integer labels are class indices; a larger one is refused rather than allocating that many class names. */
export const MAX_CLASS_INDEX = 999_999;

/** Maps label strings to indices: integers as themselves, otherwise sorted distinct strings. */
function labelMap(values: readonly string[], classes: number | undefined, file: string): { index: (v: string) => number; names: string[] } {
  const distinct = [...new Set(values)];
  if (distinct.length > 0 && distinct.every((v) => /^\d+$/.test(v))) {
    let max = 0;
    for (const v of distinct) max = Math.max(max, Number(v));
    if (max > MAX_CLASS_INDEX) throw new DataError("class-count", `The manifest ${file} has the integer label ${max}; integer labels are class indices, at most ${MAX_CLASS_INDEX.toLocaleString("en")}. Renumber the classes from 0, or use class names.`, file);
    const n = classes ?? max + 1;
    if (max >= n) throw new DataError("class-count", `The manifest ${file} has label ${max} but the recipe says ${n} classes.`, file);
    return { index: Number, names: Array.from({ length: n }, (_, i) => String(i)) };
  }
  const names = distinct.sort();
  if (classes !== undefined && names.length !== classes) {
    throw new DataError("class-count", `The recipe says ${classes} classes but the manifest ${file} has ${names.length} distinct labels.`, file);
  }
  const m = new Map(names.map((c, i) => [c, i]));
  return { index: (v) => m.get(v)!, names };
}

/** A manifest's rows read and its files located, before any image is opened. */
export interface ManifestListing {
  readonly file: string;
  readonly root: string;
  /** The label column, when the manifest is labelled. */
  readonly labelCol: string | null;
  /** The table's columns, in file order. */
  readonly columns: readonly string[];
  /** Rows with an image path (and a label when labelled). */
  readonly rows: number;
  /** The files of those rows that exist under the root, in row order. */
  readonly present: readonly { readonly row: Table["rows"][number]; readonly path: string; readonly size: number; readonly mtimeMs: number }[];
  /** Rows without a value, files outside the root, missing files. */
  readonly report: DataReport;
}

/** Reads a manifest and locates its files (what `scanManifest` and `seer data scan` share). */
export async function listManifest(o: ManifestOptions): Promise<ManifestListing> {
  const file = path.resolve(o.file);
  const root = o.root !== undefined ? path.resolve(o.root) : path.dirname(file);
  const imageCol = o.image ?? "path";
  const labelCol = o.label === undefined ? "label" : o.label;
  const attributes = o.attributes ?? [];
  const spec = o.splits ? splitSpec(o.splits) : null;
  const table = await readTable(file);
  requireColumns(table, file, [imageCol, ...(labelCol ? [labelCol] : []), ...attributes, ...(spec?.kind === "named" ? [SPLIT_COLUMN] : [])]);
  const report = new DataReport();

  // Rows with an image path (and a label, when labelled).
  const rows = table.rows.filter((r) => {
    const where = `${file}:${r.line}`;
    const missing = !r.values[imageCol] ? imageCol : labelCol && !r.values[labelCol] ? labelCol : null;
    if (missing !== null) report.add(where, "bad-row", `no \`${missing}\` value`);
    return missing === null;
  });

  // Files: must exist as files.
  const located = await Promise.all(
    rows.map(async (r) => {
      const p = resolveFrom(root, r.values[imageCol]!);
      // A manifest names images under its root only: an absolute path elsewhere, or one that
      // climbs out with `..`, is skipped and reported (a recipe reads only what it declares).
      const rel = path.relative(root, p);
      if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
        report.add(p, "outside-root", `listed at ${path.basename(file)}:${r.line}, outside the manifest's root ${root}`);
        return null;
      }
      const s = await stat(p).catch(() => null);
      if (!s?.isFile()) {
        report.add(p, "missing", `listed at ${path.basename(file)}:${r.line}`);
        return null;
      }
      return { row: r, path: p, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) };
    }),
  );
  const present = located.filter((x): x is NonNullable<typeof x> => x !== null);
  return { file, root, labelCol: labelCol || null, columns: table.columns, rows: rows.length, present, report };
}

export async function scanManifest(o: ManifestOptions): Promise<FileDataset> {
  const attributes = o.attributes ?? [];
  const spec = o.splits ? splitSpec(o.splits) : null;
  const { file, root, labelCol, rows, present, report } = await listManifest(o);
  if (rows === 0) throw new DataError("root-empty", `The manifest ${file} lists no images.`, file);
  const kept = await verifyItems(present, report, o);
  if (kept.length === 0) throw new DataError("no-images", `None of the ${rows} images listed in ${file} could be read.`, file);

  const labels = labelCol ? labelMap(kept.map((k) => k.row.values[labelCol]!), o.classes, file) : null;
  const items: ImageItem[] = kept.map((k) => {
    const attrs: Record<string, string> = {};
    for (const a of attributes) attrs[a] = k.row.values[a] ?? "";
    const rel = toPosix(path.relative(root, k.path));
    return { rel, size: k.size, mtimeMs: k.mtimeMs, path: k.path, label: labels ? labels.index(k.row.values[labelCol!]!) : -1, attributes: attrs };
  });

  let splits: Splits | null = null;
  if (spec?.kind === "named") {
    const s: Record<string, number[]> = {};
    const byValue = new Map<string, string>();
    for (const [name, value] of spec.parts) {
      s[name] = [];
      byValue.set(value, name);
    }
    kept.forEach((k, i) => {
      const name = byValue.get(k.row.values[SPLIT_COLUMN] ?? "");
      if (name !== undefined) s[name]!.push(i);
    });
    splits = s;
  } else if (spec?.kind === "fractions") {
    splits = splitByHash(items.map((it) => it.rel), spec.parts, o.splitSeed ?? 0);
  }
  return { kind: "manifest", root, items, classes: labels?.names ?? null, splits, manifest: file, attributes, report };
}
