/**
 * The data loader: batches of augmented crops made by a pool of worker threads, ahead of
 * the training loop. Batch (epoch, step) holds positions [step·B, (step+1)·B) of the
 * epoch's order (a seeded permutation of the split when shuffling), and each crop's
 * randomness comes from derive(seed, epoch, image, crop): a batch's content depends only
 * on (seed, epoch, step), never on worker count or timing, and a run can resume at any
 * (epoch, step). Multi-crop batches hold one Float32Array NHWC per crop group, group-major
 * as SwAV concatenates them: crop 0 of every image, then crop 1, ...
 */
import os from "node:os";
import { DataReport, type Problem } from "./errors.js";
import { PROBE_AUGMENT, SWAV_AUGMENT, cropsPerImage, type AugmentParams, type CropSpec } from "./augment.js";
import { loadSharp } from "./image.js";
import { WorkerPool } from "./pool.js";
import { SALT_ORDER, type TransformSpec, type WorkerInit } from "./protocol.js";
import { derive } from "./rng.js";
import { sharedCacheFor } from "./shared-cache.js";
import { sourceLabels, sourceLength, type SourceSpec } from "./source.js";

export type TransformOptions =
  | { readonly kind: "multicrop"; readonly crops: readonly CropSpec[]; readonly augment?: AugmentParams }
  | { readonly kind: "eval"; readonly size: number; readonly resizeRatio?: number; readonly augment?: AugmentParams };

export interface LoaderOptions {
  readonly source: SourceSpec;
  /** Label per dataset index (-1 = none). Default: the synthetic generator's labels; none for files. */
  readonly labels?: ArrayLike<number> | null;
  /** Dataset indices to draw from (a split); default all. */
  readonly subset?: ArrayLike<number> | null;
  readonly batch: number;
  readonly seed: number;
  readonly transform: TransformOptions;
  /** Default: true for multi-crop, false for eval. */
  readonly shuffle?: boolean;
  /** Drop the last partial batch. Default: true for multi-crop, false for eval. */
  readonly dropLast?: boolean;
  /** Worker threads. Default os.availableParallelism() - 1, at least 1. */
  readonly workers?: number;
  /** Batches made ahead of the consumer. Default 2 per worker (at least 2), within `prefetchBytes`. */
  readonly prefetch?: number;
  /** Memory the batches in the making may take when `prefetch` is not given (default 1 GiB; at least one batch). */
  readonly prefetchBytes?: number;
  /**
   * Image cache: when all images have one size (synthetic, or files decoded to a square)
   * and fit in `sharedCacheBytes` (default 512 MiB), one cache shared by all workers;
   * otherwise each worker keeps up to `cacheBytes` (default 64 MiB) of decoded images.
   */
  readonly cacheBytes?: number;
  readonly sharedCacheBytes?: number;
  /** The worker script (default ./worker.js beside this module). */
  readonly workerUrl?: URL;
}

export interface Batch {
  readonly epoch: number;
  readonly step: number;
  /** Images in this batch (B, or fewer for a last partial batch). */
  readonly size: number;
  /** Per crop group: count·size images of side px, NHWC float32, group-major. */
  readonly crops: readonly Float32Array[];
  readonly shapes: readonly { readonly count: number; readonly size: number }[];
  readonly labels: Int32Array;
  /** Dataset index of each image. */
  readonly indices: Int32Array;
}

export interface LoaderStats {
  readonly batches: number;
  readonly images: number;
  readonly crops: number;
  /** Time the consumer spent waiting in next(), and since it first asked. */
  readonly waitMs: number;
  readonly elapsedMs: number;
  readonly waitFraction: number;
}

export const defaultWorkers = (): number => Math.max(1, os.availableParallelism() - 1);

export class DataLoader {
  readonly report = new DataReport();
  readonly size: number;
  readonly stepsPerEpoch: number;
  readonly workers: number;
  /** Batches kept in the making ahead of the consumer. */
  readonly prefetch: number;
  private readonly pool: WorkerPool;
  private readonly transform: TransformSpec;
  private readonly shuffle: boolean;
  private orderEpoch = -1;
  private order: Uint32Array = new Uint32Array(0);
  private stream = 0;
  private counts = { batches: 0, images: 0, crops: 0, waitMs: 0, startMs: -1, lastMs: -1 };

  private constructor(private readonly o: LoaderOptions, transform: TransformSpec, subset: Int32Array, workers: number) {
    this.transform = transform;
    this.size = subset.length;
    this.shuffle = o.shuffle ?? transform.kind === "multicrop";
    const dropLast = o.dropLast ?? transform.kind === "multicrop";
    this.stepsPerEpoch = dropLast ? Math.floor(this.size / o.batch) : Math.ceil(this.size / o.batch);
    this.workers = workers;
    const sizes = transform.kind === "eval" ? [{ count: 1, size: transform.size }] : transform.crops;
    const batchBytes = o.batch * sizes.reduce((n, c) => n + c.count * c.size * c.size * 3 * 4, 0);
    const byMemory = Math.max(1, Math.floor((o.prefetchBytes ?? 1 << 30) / batchBytes));
    this.prefetch = Math.max(1, o.prefetch ?? Math.min(byMemory, Math.max(2, 2 * workers)));
    const labels = o.labels ? Int32Array.from(o.labels) : o.labels === undefined ? sourceLabels(o.source) : null;
    const sharedCache = sharedCacheFor(o.source, sourceLength(o.source), o.sharedCacheBytes ?? 512 << 20);
    const init: WorkerInit = { source: o.source, labels, subset, seed: o.seed, transform, cacheBytes: o.cacheBytes ?? 64 << 20, sharedCache };
    this.pool = new WorkerPool(workers, init, o.workerUrl ?? new URL("./worker.js", import.meta.url));
  }

  /** Validates options, loads sharp on the main thread when files are decoded, starts the workers. */
  static async create(o: LoaderOptions): Promise<DataLoader> {
    const n = sourceLength(o.source);
    const subset = o.subset ? Int32Array.from(o.subset) : Int32Array.from({ length: n }, (_, i) => i);
    for (const i of subset) if (!(i >= 0 && i < n)) throw new RangeError(`loader: subset index ${i} outside 0..${n - 1}`);
    if (!Number.isInteger(o.batch) || o.batch < 1) throw new RangeError(`loader: batch must be a positive integer, got ${o.batch}`);
    if (subset.length === 0) throw new RangeError("loader: no images to load");
    if (o.labels && o.labels.length !== n) throw new RangeError(`loader: ${o.labels.length} labels for ${n} images`);
    const t = o.transform;
    const transform: TransformSpec =
      t.kind === "multicrop"
        ? { kind: "multicrop", crops: t.crops, augment: t.augment ?? SWAV_AUGMENT }
        : { kind: "eval", size: t.size, resizeRatio: t.resizeRatio ?? 256 / 224, augment: t.augment ?? PROBE_AUGMENT };
    if (transform.kind === "multicrop" && cropsPerImage(transform.crops) < 1) throw new RangeError("loader: no crops");
    // sharp must be loaded by the main thread before workers use it (glibc unloads it otherwise).
    if (o.source.kind === "files") await loadSharp();
    const workers = Math.max(1, Math.floor(o.workers ?? defaultWorkers()));
    const loader = new DataLoader(o, transform, subset, workers);
    if (loader.stepsPerEpoch < 1) throw new RangeError(`loader: ${subset.length} images make no full batch of ${o.batch}`);
    return loader;
  }

  private positions(epoch: number, step: number): Int32Array {
    const B = this.o.batch;
    const start = step * B, end = Math.min(this.size, start + B);
    if (!this.shuffle) return Int32Array.from({ length: end - start }, (_, k) => start + k);
    if (this.orderEpoch !== epoch) {
      this.order = derive(this.o.seed, SALT_ORDER, epoch).permutation(this.size);
      this.orderEpoch = epoch;
    }
    return Int32Array.from(this.order.subarray(start, end));
  }

  /** Starts making batch (epoch, step); resolves when every slot is filled. */
  private make(epoch: number, step: number, tag: number): Promise<Batch> {
    if (!(step >= 0 && step < this.stepsPerEpoch)) return Promise.reject(new RangeError(`loader: step ${step} outside 0..${this.stepsPerEpoch - 1}`));
    const pos = this.positions(epoch, step);
    const b = pos.length, t = this.transform;
    const shapes = t.kind === "eval" ? [{ count: 1, size: t.size }] : t.crops.map((c) => ({ count: c.count, size: c.size }));
    const outputs = shapes.map((s) => new SharedArrayBuffer(s.count * b * s.size * s.size * 3 * 4));
    const labels = new SharedArrayBuffer(b * 4), indices = new SharedArrayBuffer(b * 4);
    const chunk = Math.max(1, Math.ceil(b / (2 * this.workers)));
    const tasks: Promise<Problem[]>[] = [];
    for (let s0 = 0; s0 < b; s0 += chunk) {
      tasks.push(this.pool.run({ epoch, batchSize: b, slot0: s0, positions: pos.slice(s0, s0 + chunk), outputs, labels, indices }, tag));
    }
    return Promise.all(tasks).then((problems) => {
      for (const p of problems) this.report.merge(p);
      return { epoch, step, size: b, crops: outputs.map((o) => new Float32Array(o)), shapes, labels: new Int32Array(labels), indices: new Int32Array(indices) };
    });
  }

  /** One batch, made on demand (no prefetch). */
  batchAt(epoch: number, step: number): Promise<Batch> {
    return this.make(epoch, step, -1);
  }

  /**
   * Batches from (epoch, step) on, through the end of epoch `untilEpoch - 1` (default: to
   * the end of the starting epoch), keeping `prefetch` batches in the making.
   */
  async *batches(from: { epoch?: number; step?: number } = {}, untilEpoch?: number): AsyncGenerator<Batch, void, undefined> {
    const tag = ++this.stream;
    let epoch = from.epoch ?? 0, step = from.step ?? 0;
    const last = untilEpoch ?? epoch + 1;
    const window: Promise<Batch>[] = [];
    const fill = () => {
      while (window.length < this.prefetch && epoch < last) {
        const p = this.make(epoch, step, tag);
        p.catch(() => undefined); // awaited in order below; avoid unhandled-rejection noise meanwhile
        window.push(p);
        if (++step >= this.stepsPerEpoch) {
          step = 0;
          epoch++;
        }
      }
    };
    try {
      fill();
      while (window.length > 0) {
        const t0 = performance.now();
        if (this.counts.startMs < 0) this.counts.startMs = t0;
        const batch = await window.shift()!;
        const t1 = performance.now();
        this.counts.waitMs += t1 - t0;
        this.counts.lastMs = t1;
        this.counts.batches++;
        this.counts.images += batch.size;
        this.counts.crops += batch.shapes.reduce((n, s) => n + s.count * batch.size, 0);
        fill();
        yield batch;
      }
    } finally {
      this.pool.cancel(tag);
    }
  }

  stats(): LoaderStats {
    const c = this.counts;
    const elapsedMs = c.startMs < 0 ? 0 : Math.max(c.lastMs, performance.now()) - c.startMs;
    return { batches: c.batches, images: c.images, crops: c.crops, waitMs: c.waitMs, elapsedMs, waitFraction: elapsedMs > 0 ? c.waitMs / elapsedMs : 0 };
  }

  /** Resets the counters behind stats(). */
  resetStats(): void {
    this.counts = { batches: 0, images: 0, crops: 0, waitMs: 0, startMs: -1, lastMs: -1 };
  }

  /** Ends the workers (waits for running tasks). Safe to call more than once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
