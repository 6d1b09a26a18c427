/**
 * `copy_detection_set`: a CopyDays-style benchmark under one root: `queries/` (edited
 * copies), `database/` (originals) and optionally `distractors/` (unrelated images added
 * to the database). Ground truth: a query matches the originals whose path without
 * extension equals its own (`queries/a/12.jpg` ↔ `database/a/12.png`), or, with a
 * ground-truth file, the pairs it lists: a CSV with header `query,original` whose values
 * are paths relative to the queries and database folders (with or without extension),
 * one row per pair.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseCsv } from "./csv.js";
import { DataError, DataReport } from "./errors.js";
import { resolveFrom, verifyItems, type ImageItem, type VerifyOptions } from "./dataset.js";
import { IMAGE_EXTENSIONS } from "./image.js";
import { requireFolder, walkImages, type FileEntry } from "./walk.js";

export interface CopyDetectionOptions extends VerifyOptions {
  readonly root: string;
  readonly queries?: string;
  readonly database?: string;
  readonly distractors?: string | null;
  /** Ground-truth CSV (`query,original`), relative to the root unless absolute. */
  readonly groundTruth?: string | null;
}

export interface CopyDetectionSet {
  readonly root: string;
  readonly queries: readonly ImageItem[];
  /** Originals first, then distractors (from `distractorStart` on). */
  readonly database: readonly ImageItem[];
  readonly distractorStart: number;
  /** For each query, the indices of its originals in `database` (ascending). */
  readonly groundTruth: readonly (readonly number[])[];
  /** Queries with no original. */
  readonly unmatchedQueries: number;
  readonly report: DataReport;
}

const stem = (rel: string): string => {
  const dot = rel.lastIndexOf(".");
  return dot > rel.lastIndexOf("/") ? rel.slice(0, dot) : rel;
};

/** The images of one part (already walked), as items relative to the set's root, the unreadable ones dropped. */
async function partItems(dir: string, sub: string, what: string, entries: readonly FileEntry[], report: DataReport, o: VerifyOptions): Promise<ImageItem[]> {
  if (entries.length === 0) throw new DataError("root-empty", `The ${what} folder ${dir} holds no images (${IMAGE_EXTENSIONS.join(", ")}).`, dir);
  const withPaths = entries.map((e) => ({ ...e, rel: `${sub}/${e.rel}`, path: path.join(dir, ...e.rel.split("/")), label: -1, attributes: {} }));
  return verifyItems(withPaths, report, o);
}

/** Index from a folder-relative path (with or without extension) to item positions. */
function indexBy(items: readonly ImageItem[], sub: string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const add = (k: string, i: number) => {
    const l = m.get(k);
    if (l) {
      if (!l.includes(i)) l.push(i);
    } else m.set(k, [i]);
  };
  items.forEach((it, i) => {
    const rel = it.rel.slice(sub.length + 1);
    add(rel, i);
    add(stem(rel), i);
  });
  return m;
}

async function readGroundTruth(file: string, queries: Map<string, number[]>, originals: Map<string, number[]>, nq: number, report: DataReport): Promise<number[][]> {
  const s = await stat(file).catch(() => null);
  if (!s?.isFile()) throw new DataError("ground-truth", `The ground-truth file ${file} does not exist.`, file);
  const t = parseCsv(await readFile(file, "utf8"), file);
  for (const c of ["query", "original"]) {
    if (!t.columns.includes(c)) throw new DataError("ground-truth", `The ground-truth file ${file} needs columns \`query\` and \`original\`.`, file);
  }
  const gt: number[][] = Array.from({ length: nq }, () => []);
  for (const r of t.rows) {
    const q = queries.get(r.values["query"]!.trim());
    const d = originals.get(r.values["original"]!.trim());
    if (!q || !d) {
      report.add(`${file}:${r.line}`, "bad-row", `no ${!q ? "query" : "original"} image named ${!q ? r.values["query"] : r.values["original"]}`);
      continue;
    }
    for (const qi of q) for (const di of d) if (!gt[qi]!.includes(di)) gt[qi]!.push(di);
  }
  return gt;
}

export async function scanCopyDetection(o: CopyDetectionOptions): Promise<CopyDetectionSet> {
  const root = path.resolve(o.root);
  await requireFolder(root);
  const report = new DataReport();
  const qSub = o.queries ?? "queries", dSub = o.database ?? "database";
  const parts = [{ sub: qSub, what: "queries" }, { sub: dSub, what: "database" }, ...(o.distractors ? [{ sub: o.distractors, what: "distractors" }] : [])].map((p) => ({ ...p, dir: path.resolve(root, p.sub) }));
  for (const p of parts) await requireFolder(p.dir, `${p.what} folder`);
  // One walk over all parts, so a link from one part into another is caught too.
  const walk = await walkImages(parts.map((p) => p.dir));
  report.addLinks(walk.links);
  const items: ImageItem[][] = [];
  for (const [i, p] of parts.entries()) items.push(await partItems(p.dir, p.sub, p.what, walk.files[i]!, report, o));
  const [queries = [], originals = [], distractors = []] = items;
  const qIndex = indexBy(queries, qSub), dIndex = indexBy(originals, dSub);

  let gt: number[][];
  if (o.groundTruth) {
    gt = await readGroundTruth(resolveFrom(root, o.groundTruth), qIndex, dIndex, queries.length, report);
  } else {
    gt = queries.map((q) => dIndex.get(stem(q.rel.slice(qSub.length + 1))) ?? []);
  }
  const groundTruth = gt.map((l) => [...l].sort((a, b) => a - b));
  return {
    root,
    queries,
    database: [...originals, ...distractors],
    distractorStart: originals.length,
    groundTruth,
    unmatchedQueries: groundTruth.filter((l) => l.length === 0).length,
    report,
  };
}
