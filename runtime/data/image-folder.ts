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
import { listImages, requireFolder, subFolders, type FileEntry } from "./walk.js";

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

/** Images of one tree: per class folder, or flat. Loose files beside class folders are reported. */
async function scanTree(dir: string, relBase: string, labelled: boolean, split: string | null, report: DataReport): Promise<Raw[]> {
  const prefix = relBase ? `${relBase}/` : "";
  const withPrefix = (e: FileEntry): FileEntry => ({ ...e, rel: prefix + e.rel });
  if (!labelled) return (await listImages(dir)).map((e) => ({ entry: withPrefix(e), className: null, split }));
  const out: Raw[] = [];
  const classes = await subFolders(dir);
  for (const c of classes) {
    for (const e of await listImages(path.join(dir, c))) out.push({ entry: withPrefix({ ...e, rel: `${c}/${e.rel}` }), className: c, split });
  }
  const loose = (await listImages(dir)).filter((e) => !e.rel.includes("/"));
  for (const e of loose) report.add(path.join(dir, e.rel), "no-class", "not inside a class folder");
  return out;
}

export async function scanImageFolder(o: ImageFolderOptions): Promise<FileDataset> {
  const root = path.resolve(o.root);
  await requireFolder(root);
  const labelled = (o.labels === undefined ? "folders" : o.labels) === "folders";
  const spec = o.splits ? splitSpec(o.splits) : null;
  const report = new DataReport();

  let raws: Raw[] = [];
  if (spec?.kind === "named") {
    for (const [name, sub] of spec.parts) {
      const dir = path.resolve(root, sub);
      await requireFolder(dir, `folder of split \`${name}\``).catch((e: unknown) => {
        throw e instanceof DataError ? new DataError("split-missing", e.message, dir) : e;
      });
      raws.push(...(await scanTree(dir, path.relative(root, dir).split(path.sep).join("/"), labelled, name, report)));
    }
  } else {
    raws = await scanTree(root, "", labelled, null, report);
  }
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
