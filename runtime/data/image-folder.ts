/**
 * `image_folder`: images in a folder tree. With `labels = folders` (the default) each
 * sub-folder of the root (or of each split's sub-folder) is a class, classes sorted by
 * name; with `labels = none` the whole tree is one unlabelled set. `splits` are either
 * sub-folders (`train = "train"`) or percentages (assigned by a hash of each file's path).
 */
import path from "node:path";
import { DataError, DataReport } from "./errors.js";
import { IMAGE_EXTENSIONS } from "./image.js";
import { verifyItems, type FileDataset, type ImageItem, type VerifyOptions } from "./dataset.js";
import { splitByHash, splitSpec, type RecipeSplits, type Splits } from "./splits.js";
import { requireFolder, walkImages, type FileEntry } from "./walk.js";

export interface ImageFolderOptions extends VerifyOptions {
  /** The folder (absolute, or relative to the working directory). */
  readonly root: string;
  readonly labels?: "folders" | null;
  readonly splits?: RecipeSplits | null;
  /** Expected number of classes (checked against the folders). */
  readonly classes?: number;
  /** Seed of percentage splits (default 0). */
  readonly splitSeed?: number;
}

interface Raw {
  readonly entry: FileEntry;
  readonly className: string | null;
  readonly split: string | null;
}

/** The class of a path relative to a tree (its first folder), or null for a file beside the class folders. */
export function classOf(rel: string): string | null {
  const slash = rel.indexOf("/");
  return slash < 0 ? null : rel.slice(0, slash);
}

/** Images of one tree: per class folder (the first folder of each path), or flat. Loose files beside class folders are reported. */
function treeRaws(files: readonly FileEntry[], dir: string, relBase: string, labelled: boolean, split: string | null, report: DataReport): Raw[] {
  const prefix = relBase ? `${relBase}/` : "";
  const out: Raw[] = [];
  for (const e of files) {
    const className = classOf(e.rel);
    if (labelled && className === null) report.add(path.join(dir, e.rel), "no-class", "not inside a class folder");
    else out.push({ entry: { ...e, rel: prefix + e.rel }, className: labelled ? className : null, split });
  }
  // Class by class in name order (as `ant/x` before `ant-b/y`), each in path order: a stable sort of the sorted walk.
  return labelled ? out.sort((a, b) => (a.className! < b.className! ? -1 : a.className! > b.className! ? 1 : 0)) : out;
}

export async function scanImageFolder(o: ImageFolderOptions): Promise<FileDataset> {
  const root = path.resolve(o.root);
  await requireFolder(root);
  const labelled = (o.labels === undefined ? "folders" : o.labels) === "folders";
  const spec = o.splits ? splitSpec(o.splits) : null;
  const report = new DataReport();

  // One walk over every split's folder, so a link from one split into another is caught too.
  const trees = spec?.kind === "named" ? spec.parts.map(([name, sub]) => ({ split: name, dir: path.resolve(root, sub) })) : [{ split: null, dir: root }];
  for (const t of trees) {
    if (t.split === null) continue;
    await requireFolder(t.dir, `folder of split \`${t.split}\``).catch((e: unknown) => {
      throw e instanceof DataError ? new DataError("split-missing", e.message, t.dir) : e;
    });
  }
  const walk = await walkImages(trees.map((t) => t.dir));
  report.addLinks(walk.links);
  const raws = trees.flatMap((t, i) => treeRaws(walk.files[i]!, t.dir, path.relative(root, t.dir).split(path.sep).join("/"), labelled, t.split, report));
  if (raws.length === 0) {
    throw new DataError("root-empty", `The dataset root ${root} holds no images (${IMAGE_EXTENSIONS.join(", ")})${labelled ? " in class sub-folders" : ""}.`, root);
  }

  const classes = labelled ? [...new Set(raws.map((r) => r.className!))].sort() : null;
  if (classes && o.classes !== undefined && classes.length !== o.classes) {
    throw new DataError("class-count", `The recipe says ${o.classes} classes but ${root} has ${classes.length} class folders.`, root);
  }
  const classIndex = new Map(classes?.map((c, i) => [c, i]));
  const withPaths = raws.map((r) => ({ ...r, path: path.join(root, ...r.entry.rel.split("/")), size: r.entry.size }));
  const kept = await verifyItems(withPaths, report, o);
  if (kept.length === 0) throw new DataError("no-images", `None of the ${raws.length} files under ${root} could be read as an image.`, root);

  const items: ImageItem[] = kept.map((r) => ({
    ...r.entry,
    path: r.path,
    label: r.className === null ? -1 : classIndex.get(r.className)!,
    attributes: {},
  }));

  let splits: Splits | null = null;
  if (spec?.kind === "named") {
    const s: Record<string, number[]> = {};
    for (const [name] of spec.parts) s[name] = [];
    kept.forEach((r, i) => s[r.split!]!.push(i));
    splits = s;
  } else if (spec?.kind === "fractions") {
    splits = splitByHash(items.map((it) => it.rel), spec.parts, o.splitSeed ?? 0);
  }
  return { kind: "image_folder", root, items, classes, splits, manifest: null, attributes: [], report };
}
