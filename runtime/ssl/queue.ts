/**
 * The SwAV queue: past embeddings of the assigning crops, [A, length, D], newest first.
 *
 * `push` puts the current batch's B embeddings of each assigning crop at the front and drops the
 * B oldest from the back (FIFO). The queue counts as `full` once `length` embeddings have been
 * pushed; the trainer only hands it to the loss when full (swav uses it once its last row is
 * non-zero). Its scores are recomputed with the current prototypes at every use (loss.ts).
 */
import * as tf from "@tensorflow/tfjs";

export interface QueueState {
  embeddings: Float32Array;
  filled: number;
}

export class EmbeddingQueue {
  private store: tf.Tensor3D;
  private count = 0;

  constructor(readonly assign: number, readonly length: number, readonly dim: number) {
    if (!(assign >= 1 && length >= 1 && dim >= 1)) throw new Error("A queue needs at least one assigning crop, one slot and one dimension.");
    this.store = tf.zeros([assign, length, dim]);
  }

  /** Embeddings pushed so far, capped at `length`. */
  get filled(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.length;
  }

  /** The stored embeddings [A, length, D] (owned by the queue; do not dispose). */
  embeddings(): tf.Tensor3D {
    return this.store;
  }

  /** Adds a batch [A, B, D] at the front; the B oldest embeddings fall off the back. */
  push(batch: tf.Tensor3D): void {
    const [a, b, d] = batch.shape;
    if (a !== this.assign || d !== this.dim) throw new Error(`Queue push of shape [${batch.shape.join(", ")}] does not fit a queue of [${this.assign}, ${this.length}, ${this.dim}].`);
    if (b > this.length) throw new Error(`A batch of ${b} does not fit a queue of length ${this.length}.`);
    const next = tf.tidy(() => (b === this.length ? tf.clone(batch) : tf.concat([batch, tf.slice(this.store, [0, 0, 0], [a, this.length - b, d])], 1)));
    this.store.dispose();
    this.store = next;
    this.count = Math.min(this.length, this.count + b);
  }

  exportState(): QueueState {
    return { embeddings: Float32Array.from(this.store.dataSync() as Float32Array), filled: this.count };
  }

  importState(state: QueueState): void {
    if (state.embeddings.length !== this.store.size) throw new Error(`Queue state has ${state.embeddings.length} values, expected ${this.store.size}.`);
    const next = tf.tensor3d(state.embeddings, [this.assign, this.length, this.dim], "float32");
    this.store.dispose();
    this.store = next;
    this.count = Math.min(this.length, state.filled);
  }

  dispose(): void {
    this.store.dispose();
  }
}
