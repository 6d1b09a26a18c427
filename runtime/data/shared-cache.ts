/**
 * A decoded-image cache shared by all data workers, for sources whose images all have one
 * size (synthetic images, files decoded to a square): one SharedArrayBuffer slot per
 * image plus a ready flag. A worker that finds a slot empty produces the image and
 * publishes it with an atomic store; two workers filling one slot write the same bytes.
 */
import { rgbImage, type RgbImage } from "./image.js";
import type { SourceSpec } from "./source.js";

export interface SharedCacheSpec {
  readonly side: number;
  readonly pixels: SharedArrayBuffer;
  /** Int32 flag per image: 1 = slot filled. */
  readonly ready: SharedArrayBuffer;
}

/** Side of every image of a source, when they all have one size. */
function fixedSide(spec: SourceSpec): number | null {
  if (spec.kind === "synthetic") return spec.params.size;
  return typeof spec.decode === "object" && "square" in spec.decode ? spec.decode.square : null;
}

/** A shared cache for the source if its images have one size and fit in `maxBytes`; else null. */
export function sharedCacheFor(spec: SourceSpec, count: number, maxBytes: number): SharedCacheSpec | null {
  const side = fixedSide(spec);
  if (side === null || count * side * side * 3 > maxBytes) return null;
  return { side, pixels: new SharedArrayBuffer(count * side * side * 3), ready: new SharedArrayBuffer(count * 4) };
}

export class SharedImageCache {
  private readonly ready: Int32Array;
  private readonly bytes: number;

  constructor(private readonly spec: SharedCacheSpec) {
    this.ready = new Int32Array(spec.ready);
    this.bytes = spec.side * spec.side * 3;
  }

  /** Image i if cached (a view into shared memory: do not modify). */
  get(i: number): RgbImage | null {
    if (Atomics.load(this.ready, i) !== 1) return null;
    return rgbImage(this.spec.side, this.spec.side, new Uint8Array(this.spec.pixels, i * this.bytes, this.bytes));
  }

  /** Stores image i (ignored if its size does not match) and returns the cached view. */
  put(i: number, img: RgbImage): RgbImage {
    if (img.width !== this.spec.side || img.height !== this.spec.side) return img;
    const view = new Uint8Array(this.spec.pixels, i * this.bytes, this.bytes);
    view.set(img.data);
    Atomics.store(this.ready, i, 1);
    return rgbImage(this.spec.side, this.spec.side, view);
  }
}
