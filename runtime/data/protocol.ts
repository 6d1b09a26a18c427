/** Messages between the loader (main thread) and its workers, and the per-image work they share. */
import { Augmenter, type AugmentParams, type CropSpec } from "./augment.js";
import type { Problem } from "./errors.js";
import type { SharedCacheSpec } from "./shared-cache.js";
import { ImageProvider, sourceName, type SourceSpec } from "./source.js";
import { derive } from "./rng.js";

export type TransformSpec =
  | { readonly kind: "multicrop"; readonly crops: readonly CropSpec[]; readonly augment: AugmentParams }
  | { readonly kind: "eval"; readonly size: number; readonly resizeRatio: number; readonly augment: AugmentParams };

/** workerData of each worker. */
export interface WorkerInit {
  readonly source: SourceSpec;
  /** Label per dataset index (-1 = none), or null. */
  readonly labels: Int32Array | null;
  /** Dataset index per position (a split's items). */
  readonly subset: Int32Array;
  readonly seed: number;
  readonly transform: TransformSpec;
  readonly cacheBytes: number;
  /** Decoded images shared by all workers (fixed-size sources that fit), else null. */
  readonly sharedCache: SharedCacheSpec | null;
}

/** Fill batch slots [slot0, slot0 + positions.length) of the batch's shared buffers. */
export interface TaskMessage {
  readonly type: "task";
  readonly task: number;
  readonly epoch: number;
  readonly batchSize: number;
  readonly slot0: number;
  readonly positions: Int32Array;
  /** One Float32 buffer per crop group (eval: one). */
  readonly outputs: readonly SharedArrayBuffer[];
  readonly labels: SharedArrayBuffer;
  readonly indices: SharedArrayBuffer;
}

export type ToWorker = TaskMessage | { readonly type: "close" };

export type FromWorker =
  | { readonly type: "done"; readonly task: number; readonly problems: readonly Problem[] }
  | { readonly type: "error"; readonly task: number; readonly message: string };

/** Salt of the augmentation streams: derive(seed, SALT_AUGMENT, epoch, image, crop). */
export const SALT_AUGMENT = 0x61756720;
/** Salt of the epoch order: derive(seed, SALT_ORDER, epoch). */
export const SALT_ORDER = 0x6f726472;
/** Consecutive unreadable images tried before a task fails. */
const MAX_SUBSTITUTES = 64;

/**
 * Does the work of one task. An unreadable image is reported and replaced by the next
 * position's image (deterministically, so results do not depend on scheduling).
 */
export class TaskRunner {
  private readonly provider: ImageProvider;
  private readonly augmenter: Augmenter;
  private readonly bad = new Set<number>();

  constructor(private readonly init: WorkerInit) {
    this.provider = new ImageProvider(init.source, init.cacheBytes, init.sharedCache);
    this.augmenter = new Augmenter(init.transform.augment);
  }

  async run(t: TaskMessage): Promise<Problem[]> {
    const problems: Problem[] = [];
    const { labels, seed, transform } = this.init;
    const outs = t.outputs.map((b) => new Float32Array(b));
    const labelOut = new Int32Array(t.labels), indexOut = new Int32Array(t.indices);
    for (let k = 0; k < t.positions.length; k++) {
      const slot = t.slot0 + k;
      const { index, image } = await this.loadAt(t.positions[k]!, problems);
      labelOut[slot] = labels ? labels[index]! : -1;
      indexOut[slot] = index;
      if (transform.kind === "eval") {
        const n = transform.size * transform.size * 3;
        this.augmenter.evalCrop(image, transform.size, outs[0]!, slot * n, transform.resizeRatio);
        continue;
      }
      let v = 0;
      transform.crops.forEach((g, gi) => {
        const n = g.size * g.size * 3;
        for (let c = 0; c < g.count; c++, v++) {
          const rng = derive(seed, SALT_AUGMENT, t.epoch, index, v);
          this.augmenter.crop(image, g.size, g.scale, rng, outs[gi]!, (c * t.batchSize + slot) * n);
        }
      });
    }
    return problems;
  }

  private async loadAt(position: number, problems: Problem[]): Promise<{ index: number; image: Awaited<ReturnType<ImageProvider["load"]>> }> {
    const { subset, source } = this.init;
    for (let a = 0; a < Math.min(MAX_SUBSTITUTES, subset.length); a++) {
      const index = subset[(position + a) % subset.length]!;
      if (this.bad.has(index)) continue;
      try {
        return { index, image: await this.provider.load(index) };
      } catch (e) {
        this.bad.add(index);
        problems.push({ path: sourceName(source, index), reason: "unreadable", detail: e instanceof Error ? e.message.split("\n", 1)[0]! : String(e) });
      }
    }
    throw new Error(`${MAX_SUBSTITUTES} consecutive images could not be read (from position ${position}).`);
  }
}
