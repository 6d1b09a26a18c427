/**
 * Where a loader's images come from, in a form that crosses to worker threads (plain
 * data), and the worker-side provider that generates or decodes them, with a bounded
 * in-memory cache of decoded images.
 */
import type { CopyDetectionSet } from "./copy-detection.js";
import type { FileDataset, ImageItem } from "./dataset.js";
import { decodeImage, rgbImage, type DecodeSize, type RgbImage } from "./image.js";
import { SharedImageCache, type SharedCacheSpec } from "./shared-cache.js";
import { syntheticParams, syntheticSample, type SyntheticParams } from "./synthetic.js";

export type SourceSpec =
  | { readonly kind: "synthetic"; readonly params: SyntheticParams }
  | { readonly kind: "files"; readonly paths: readonly string[]; readonly decode: DecodeSize };

export function syntheticSource(params: Partial<SyntheticParams> & { images: number }): SourceSpec {
  return { kind: "synthetic", params: syntheticParams(params) };
}

/**
 * Files of a scanned dataset. `decode` sets the size images are decoded at before
 * augmentation: for multi-crop pretraining a shorter side a little above the largest crop
 * keeps JPEG decoding cheap (default: shorter side 256 px).
 */
export function filesSource(items: readonly Pick<ImageItem, "path">[] | FileDataset, decode: DecodeSize = { shorterSide: 256 }): SourceSpec {
  const list = Array.isArray(items) ? items : (items as FileDataset).items;
  return { kind: "files", paths: list.map((it: Pick<ImageItem, "path">) => it.path), decode };
}

/** The queries and the database (originals, then distractors) of a copy-detection set, as two sources. */
export function copyDetectionSources(set: CopyDetectionSet, decode: DecodeSize = { shorterSide: 256 }): { queries: SourceSpec; database: SourceSpec } {
  return { queries: filesSource(set.queries, decode), database: filesSource(set.database, decode) };
}

export function sourceLength(spec: SourceSpec): number {
  return spec.kind === "synthetic" ? spec.params.images : spec.paths.length;
}

/** Labels the source itself knows (the synthetic generator's); null for files. */
export function sourceLabels(spec: SourceSpec): Int32Array | null {
  if (spec.kind !== "synthetic") return null;
  const { images, classes } = spec.params;
  return Int32Array.from({ length: images }, (_, i) => i % classes);
}

/** A name for image i in problem reports. */
export function sourceName(spec: SourceSpec, i: number): string {
  return spec.kind === "synthetic" ? `synthetic#${i}` : (spec.paths[i] ?? `#${i}`);
}

/**
 * Generates or decodes images by index. Keeps them in the shared cache when there is one,
 * else up to `cacheBytes` of them in this thread (oldest dropped first).
 */
export class ImageProvider {
  private readonly cache = new Map<number, RgbImage>();
  private readonly shared: SharedImageCache | null;
  private cached = 0;

  constructor(
    readonly spec: SourceSpec,
    private readonly cacheBytes = 64 << 20,
    shared: SharedCacheSpec | null = null,
  ) {
    this.shared = shared ? new SharedImageCache(shared) : null;
  }

  get length(): number {
    return sourceLength(this.spec);
  }

  /** Image i; throws (with the decoder's message) when it cannot be read. */
  async load(i: number): Promise<RgbImage> {
    if (this.shared) return this.shared.get(i) ?? this.shared.put(i, await this.produce(i));
    const hit = this.cache.get(i);
    if (hit) return hit;
    const img = await this.produce(i);
    this.remember(i, img);
    return img;
  }

  private async produce(i: number): Promise<RgbImage> {
    const spec = this.spec;
    if (spec.kind === "synthetic") {
      const s = spec.params.size;
      return rgbImage(s, s, syntheticSample(spec.params, i).pixels);
    }
    const p = spec.paths[i];
    if (p === undefined) throw new RangeError(`image ${i} outside 0..${spec.paths.length - 1}`);
    return decodeImage(p, spec.decode);
  }

  private remember(i: number, img: RgbImage): void {
    const bytes = img.data.byteLength;
    if (bytes > this.cacheBytes) return;
    while (this.cached + bytes > this.cacheBytes) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cached -= this.cache.get(oldest.value)!.data.byteLength;
      this.cache.delete(oldest.value);
    }
    this.cache.set(i, img);
    this.cached += bytes;
  }
}
