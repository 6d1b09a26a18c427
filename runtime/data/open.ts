/**
 * Opening a checked dataset declaration: from its constructor name and field values (the
 * checker's projected JSON: `{ value, unit: "px" }`, `{ from, to }`, split maps) to what
 * loaders, evaluations and run records use. Scanning errors surface here, before any
 * training starts.
 */
import type { CropSpec } from "./augment.js";
import { fileAttributes, groupAttribute, type Attributes } from "./attributes.js";
import { scanCopyDetection, type CopyDetectionSet } from "./copy-detection.js";
import { labelsOf, resolveFrom, type FileDataset } from "./dataset.js";
import type { CropSpec as ContractCrop, DatasetSpec } from "../../contract/specs.js";
import { DataError, DataReport } from "./errors.js";
import { fingerprintCopyDetection, fingerprintDataset, fingerprintSynthetic, type Fingerprint, type FingerprintOptions } from "./fingerprint.js";
import { scanImageFolder } from "./image-folder.js";
import type { DecodeSize } from "./image.js";
import { scanManifest } from "./manifest.js";
import { copyDetectionSources, filesSource, sourceLabels, syntheticSource, type SourceSpec } from "./source.js";
import { splitByCount, splitSpec, type Splits } from "./splits.js";
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
  /** Per-image attributes by name: a manifest's `attributes` columns, a synthetic dataset's `group`. */
  readonly attributes: Attributes;
  readonly source: SourceSpec;
  readonly fingerprint: Fingerprint;
  readonly report: DataReport;
}

export type OpenedDataset =
  | (Common & { readonly kind: "synthetic"; readonly params: SyntheticParams })
  | (Common & { readonly kind: "image_folder" | "manifest"; readonly dataset: FileDataset })
  | { readonly kind: "copy_detection_set"; readonly set: CopyDetectionSet; readonly queries: SourceSpec; readonly database: SourceSpec; readonly fingerprint: Fingerprint; readonly report: DataReport };

const bad = (msg: string) => new DataError("bad-options", msg);

/** The loader's crop groups of a pretraining's `crops`. */
export function cropsFromSpec(list: readonly ContractCrop[]): CropSpec[] {
  if (list.length === 0) throw bad("`crops` should be a non-empty list of `crop { ... }`.");
  return list.map((c) => ({ count: c.count, size: c.size, scale: [c.scale[0], c.scale[1]] as const }));
}

/** A synthetic spec's dataset and its split fractions (null: no splits); percentages only. */
export function syntheticOf(spec: DatasetSpec & { kind: "synthetic" }): { dataset: SyntheticDataset; parts: readonly (readonly [string, number])[] | null } {
  const dataset = new SyntheticDataset({ kind: "shapes", images: spec.images, size: spec.size, classes: spec.classes, groups: spec.groups, shift: spec.shift, seed: spec.seed });
  const split = spec.splits ? splitSpec(spec.splits) : null;
  if (split?.kind === "named") throw new DataError("split-invalid", "Splits of a synthetic dataset are percentages.");
  return { dataset, parts: split ? split.parts : null };
}

/** Opens the dataset of a `prepare-data` spec; relative paths start at `o.baseDir` (the declaring module's folder). */
export async function openDataset(spec: DatasetSpec, o: OpenOptions): Promise<OpenedDataset> {
  const fp = o.fingerprint ?? {};
  const verify = o.verify ?? true;
  switch (spec.kind) {
    case "synthetic": {
      const { dataset: ds, parts } = syntheticOf(spec);
      const p = ds.params;
      return {
        kind: "synthetic", params: p, attributes: groupAttribute(ds.groups(), p.groups), source: syntheticSource(p), labels: sourceLabels(syntheticSource(p)),
        classes: Array.from({ length: p.classes }, (_, c) => className(c)),
        splits: parts ? splitByCount(p.images, parts, p.seed) : null,
        fingerprint: fingerprintSynthetic(p), report: new DataReport(),
      };
    }
    case "image_folder":
    case "manifest": {
      const dataset =
        spec.kind === "image_folder"
          ? await scanImageFolder({ root: resolveFrom(o.baseDir, spec.root), labels: spec.labels, splits: spec.splits, ...(spec.classes !== null ? { classes: spec.classes } : {}), verify })
          : await scanManifest({
              file: resolveFrom(o.baseDir, spec.file),
              ...(spec.root !== null ? { root: resolveFrom(o.baseDir, spec.root) } : {}),
              image: spec.image, label: spec.label, attributes: spec.attributes, splits: spec.splits, verify,
              ...(spec.classes !== null ? { classes: spec.classes } : {}),
            });
      return {
        kind: spec.kind, dataset, classes: dataset.classes, splits: dataset.splits,
        labels: dataset.classes ? labelsOf(dataset) : null, attributes: fileAttributes(dataset),
        source: filesSource(dataset, o.decode),
        fingerprint: await fingerprintDataset(dataset, { ...fp, contentHash: spec.content_hash }), report: dataset.report,
      };
    }
    case "copy_detection_set": {
      const set = await scanCopyDetection({
        root: resolveFrom(o.baseDir, spec.root), queries: spec.queries, database: spec.database, verify,
        ...(spec.distractors !== null ? { distractors: spec.distractors } : {}), ...(spec.ground_truth !== null ? { groundTruth: resolveFrom(o.baseDir, spec.ground_truth) } : {}),
      });
      const { queries, database } = copyDetectionSources(set, o.decode);
      return { kind: spec.kind, set, queries, database, fingerprint: await fingerprintCopyDetection(set, { ...fp, contentHash: spec.content_hash }), report: set.report };
    }
  }
}

/** The folder a file dataset's paths are relative to (a copy-detection set's root); null for synthetic data. */
export function rootOf(ds: OpenedDataset): string | null {
  return ds.kind === "copy_detection_set" ? ds.set.root : ds.kind === "synthetic" ? null : ds.dataset.root;
}

/** The dataset indices of a split (for a loader's `subset`); all images when `split` is undefined. */
export function splitIndices(ds: Exclude<OpenedDataset, { kind: "copy_detection_set" }>, split?: string): Int32Array | null {
  if (split === undefined) return null;
  const idx = ds.splits?.[split];
  if (!idx) throw new DataError("split-missing", `The dataset has no split \`${split}\` (splits: ${Object.keys(ds.splits ?? {}).join(", ") || "none"}).`);
  return Int32Array.from(idx);
}
