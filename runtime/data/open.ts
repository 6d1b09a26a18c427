/**
 * Opening a checked dataset declaration: from its constructor name and field values (the
 * checker's projected JSON: `{ value, unit: "px" }`, `{ from, to }`, split maps) to what
 * loaders, evaluations and run records use. Scanning errors surface here, before any
 * training starts.
 */
import type { CropSpec } from "./augment.js";
import { scanCopyDetection, type CopyDetectionSet } from "./copy-detection.js";
import { labelsOf, resolveFrom, type FileDataset } from "./dataset.js";
import { magnitude } from "../../compiler/check/json.js";
import { DataError, DataReport } from "./errors.js";
import { fingerprintCopyDetection, fingerprintDataset, fingerprintSynthetic, type Fingerprint, type FingerprintOptions } from "./fingerprint.js";
import { scanImageFolder } from "./image-folder.js";
import type { DecodeSize } from "./image.js";
import { scanManifest } from "./manifest.js";
import { copyDetectionSources, filesSource, sourceLabels, syntheticSource, type SourceSpec } from "./source.js";
import { splitByCount, splitSpec, type RecipeSplits, type Splits } from "./splits.js";
import { className } from "./synthetic-shapes.js";
import { SyntheticDataset, type SyntheticParams } from "./synthetic.js";

export interface OpenOptions {
  /** Folder that relative paths in the recipe are resolved against (the recipe's folder). */
  readonly baseDir: string;
  /** Read every image header while scanning (default true). */
  readonly verify?: boolean;
  /** Decode size of file images for the loader (default shorter side 256 px). */
  readonly decode?: DecodeSize;
  readonly fingerprint?: FingerprintOptions;
}

interface Common {
  readonly classes: readonly string[] | null;
  readonly splits: Splits | null;
  /** Label per image (-1 = none), null when unlabelled. */
  readonly labels: Int32Array | null;
  readonly source: SourceSpec;
  readonly fingerprint: Fingerprint;
  readonly report: DataReport;
}

export type OpenedDataset =
  | (Common & { readonly kind: "synthetic"; readonly params: SyntheticParams; readonly groups: Int32Array })
  | (Common & { readonly kind: "image_folder" | "manifest"; readonly dataset: FileDataset })
  | { readonly kind: "copy_detection_set"; readonly set: CopyDetectionSet; readonly queries: SourceSpec; readonly database: SourceSpec; readonly fingerprint: Fingerprint; readonly report: DataReport };

type Fields = Readonly<Record<string, unknown>>;
const bad = (msg: string) => new DataError("bad-options", msg);

function num(f: Fields, name: string, dflt?: number): number {
  const v = f[name] ?? dflt;
  const n = magnitude(v);
  if (typeof n !== "number" || !Number.isFinite(n)) throw bad(`Field \`${name}\` should be a number.`);
  return n;
}
function str(f: Fields, name: string, dflt?: string): string {
  const v = f[name] ?? dflt;
  if (typeof v !== "string") throw bad(`Field \`${name}\` should be a string.`);
  return v;
}
const optStr = (f: Fields, name: string): string | undefined => (f[name] === undefined || f[name] === null ? undefined : str(f, name));
const optNum = (f: Fields, name: string): number | undefined => (f[name] === undefined || f[name] === null ? undefined : num(f, name));
const splitsOf = (f: Fields): RecipeSplits | null => (f["splits"] ? (f["splits"] as RecipeSplits) : null);

/** The crop groups of a `swav { crops = [...] }` field. */
export function cropsFromRecipe(list: unknown): CropSpec[] {
  if (!Array.isArray(list) || list.length === 0) throw bad("`crops` should be a non-empty list of `crop { ... }`.");
  return list.map((c: Fields) => {
    const scale = (c["scale"] ?? { from: 0.14, to: 1 }) as { from: number; to: number };
    return { count: num(c, "count"), size: num(c, "size"), scale: [scale.from, scale.to] as const };
  });
}

export async function openDataset(ctor: string, f: Fields, o: OpenOptions): Promise<OpenedDataset> {
  const fp = o.fingerprint ?? {};
  const verify = o.verify ?? true;
  const contentHash = f["content_hash"] === true;
  switch (ctor) {
    case "synthetic": {
      const ds = new SyntheticDataset({
        kind: "shapes", images: num(f, "images"), size: num(f, "size", 32), classes: num(f, "classes", 10),
        groups: num(f, "groups", 1), shift: num(f, "shift", 0), seed: num(f, "seed", 0),
      });
      const p = ds.params;
      const spec = splitsOf(f) ? splitSpec(splitsOf(f)!) : null;
      if (spec?.kind === "named") throw new DataError("split-invalid", "Splits of a synthetic dataset are percentages.");
      return {
        kind: "synthetic", params: p, groups: ds.groups(), source: syntheticSource(p), labels: sourceLabels(syntheticSource(p)),
        classes: Array.from({ length: p.classes }, (_, c) => className(c)),
        splits: spec ? splitByCount(p.images, spec.parts, p.seed) : null,
        fingerprint: fingerprintSynthetic(p), report: new DataReport(),
      };
    }
    case "image_folder":
    case "manifest": {
      const dataset =
        ctor === "image_folder"
          ? await scanImageFolder({ root: resolveFrom(o.baseDir, str(f, "root")), labels: f["labels"] === null ? null : "folders", splits: splitsOf(f), ...(optNum(f, "classes") !== undefined ? { classes: optNum(f, "classes")! } : {}), verify })
          : await scanManifest({
              file: resolveFrom(o.baseDir, str(f, "file")),
              ...(optStr(f, "root") !== undefined ? { root: resolveFrom(o.baseDir, optStr(f, "root")!) } : {}),
              image: str(f, "image", "path"), label: f["label"] === null ? null : str(f, "label", "label"),
              attributes: (f["attributes"] as string[] | undefined) ?? [], splits: splitsOf(f), verify,
              ...(optNum(f, "classes") !== undefined ? { classes: optNum(f, "classes")! } : {}),
            });
      return {
        kind: ctor, dataset, classes: dataset.classes, splits: dataset.splits,
        labels: dataset.classes ? labelsOf(dataset) : null,
        source: filesSource(dataset, o.decode),
        fingerprint: await fingerprintDataset(dataset, { ...fp, contentHash }), report: dataset.report,
      };
    }
    case "copy_detection_set": {
      const gt = optStr(f, "ground_truth");
      const distractors = optStr(f, "distractors");
      const set = await scanCopyDetection({
        root: resolveFrom(o.baseDir, str(f, "root")), queries: str(f, "queries", "queries"), database: str(f, "database", "database"), verify,
        ...(distractors ? { distractors } : {}), ...(gt ? { groundTruth: resolveFrom(o.baseDir, gt) } : {}),
      });
      const { queries, database } = copyDetectionSources(set, o.decode);
      return { kind: ctor, set, queries, database, fingerprint: await fingerprintCopyDetection(set, { ...fp, contentHash }), report: set.report };
    }
    default:
      throw bad(`Unknown dataset constructor \`${ctor}\`.`);
  }
}

/** The dataset indices of a split (for a loader's `subset`); all images when `split` is undefined. */
export function splitIndices(ds: Exclude<OpenedDataset, { kind: "copy_detection_set" }>, split?: string): Int32Array | null {
  if (split === undefined) return null;
  const idx = ds.splits?.[split];
  if (!idx) throw new DataError("split-missing", `The dataset has no split \`${split}\` (splits: ${Object.keys(ds.splits ?? {}).join(", ") || "none"}).`);
  return Int32Array.from(idx);
}
