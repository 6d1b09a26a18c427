/**
 * What planning needs of a dataset: its fingerprint and how many images it and each of its
 * splits hold. A synthetic dataset's come from its parameters alone (the fingerprint hashes
 * them; split sizes are `splitSizes`, the counts `splitByCount` assigns when a run opens it),
 * so a plan never generates, labels or permutes its images, whatever its size. Other datasets
 * are opened (scanned) as a run opens them.
 */
import type { DatasetSpec } from "../../contract/specs.js";
import { fingerprintSynthetic } from "./fingerprint.js";
import type { SkippedLink } from "./errors.js";
import { openDataset, rootOf, syntheticOf, type OpenOptions } from "./open.js";
import { sourceLength } from "./source.js";
import { splitSizes } from "./splits.js";

export interface PlannedDataset {
  fingerprint: string;
  /** Images in the dataset; undefined for a copy-detection set (queries and a database, no one count). */
  images?: number;
  /** Images per split, by name. */
  splits: Record<string, number>;
  /** Where the data lies: the folder (image folder, copy-detection set) or the manifest file; null for synthetic data. */
  location: string | null;
  /** Symbolic links the walk did not follow (loops, repeats). */
  links: readonly SkippedLink[];
}

export async function planDataset(spec: DatasetSpec, o: OpenOptions): Promise<PlannedDataset> {
  if (spec.kind === "synthetic") {
    const { dataset, parts } = syntheticOf(spec);
    const n = dataset.params.images;
    const sizes = parts ? splitSizes(n, parts) : [];
    return { fingerprint: fingerprintSynthetic(dataset.params).value, images: n, splits: Object.fromEntries((parts ?? []).map(([name], i) => [name, sizes[i]!])), location: null, links: [] };
  }
  const ds = await openDataset(spec, o);
  const where = { location: ds.kind === "manifest" ? ds.dataset.manifest : rootOf(ds), links: ds.report.links };
  if (ds.kind === "copy_detection_set") return { fingerprint: ds.fingerprint.value, splits: {}, ...where };
  return { fingerprint: ds.fingerprint.value, images: sourceLength(ds.source), splits: Object.fromEntries(Object.entries(ds.splits ?? {}).map(([k, v]) => [k, v.length])), ...where };
}

/**
 * The sizes a dataset's declaration gives without reading any data: a synthetic dataset's
 * `images`, or the `images` an image folder or manifest declares, and each percentage split's
 * share of them (the counts `splitByCount` assigns); null when the declaration gives no size.
 */
export function declaredSizes(spec: DatasetSpec): { images: number; splits: Record<string, number> } | null {
  if (spec.kind === "copy_detection_set") return null;
  const images = spec.images;
  if (images === null) return null;
  const parts = (spec.splits ?? []).flatMap((p) => ("fraction" in p ? [[p.name, p.fraction] as const] : []));
  const sizes = parts.length > 0 ? splitSizes(images, parts) : [];
  return { images, splits: Object.fromEntries(parts.map(([name], i) => [name, sizes[i]!])) };
}
