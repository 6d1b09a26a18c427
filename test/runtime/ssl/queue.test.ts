/** The embedding queue: FIFO order (newest first), fullness, state round trip. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { EmbeddingQueue } from "../../../runtime/ssl/queue.js";
import { useBackend } from "../../helpers/ssl-tf.js";

/** A batch [2, 2, 1] whose values name it: crop a, row b of push p is 100·p + 10·a + b. */
function batch(p: number): tf.Tensor3D {
  return tf.tensor3d([100 * p, 100 * p + 1, 100 * p + 10, 100 * p + 11], [2, 2, 1]);
}

test("FIFO: each push goes to the front, the oldest rows fall off the back; full after length rows", async () => {
  await useBackend("wasm");
  const q = new EmbeddingQueue(2, 6, 1);
  const rows = () => q.embeddings().arraySync().map((crop) => crop.map((r) => r[0]));
  assert.equal(q.full, false);
  for (const p of [1, 2, 3]) {
    const b = batch(p);
    q.push(b);
    b.dispose();
    assert.equal(q.filled, 2 * p);
  }
  assert.equal(q.full, true);
  assert.deepEqual(rows(), [
    [300, 301, 200, 201, 100, 101],
    [310, 311, 210, 211, 110, 111],
  ]);
  const b = batch(4);
  q.push(b);
  b.dispose();
  assert.equal(q.filled, 6);
  assert.deepEqual(rows(), [
    [400, 401, 300, 301, 200, 201],
    [410, 411, 310, 311, 210, 211],
  ]);
  q.dispose();
});

test("a queue as long as the batch is replaced by every push; the tensor count never grows", async () => {
  await useBackend("wasm");
  const q = new EmbeddingQueue(2, 2, 1);
  const before = tf.memory().numTensors;
  for (const p of [1, 2, 3]) {
    const b = batch(p);
    q.push(b);
    b.dispose();
    assert.equal(tf.memory().numTensors, before);
  }
  assert.deepEqual(q.embeddings().arraySync().flat(2), [300, 301, 310, 311]);
  q.dispose();
});

test("state round trip and shape checks", async () => {
  await useBackend("wasm");
  const q = new EmbeddingQueue(2, 4, 1);
  const b = batch(1);
  q.push(b);
  const state = q.exportState();
  const r = new EmbeddingQueue(2, 4, 1);
  r.importState(state);
  assert.equal(r.filled, 2);
  assert.deepEqual(r.embeddings().arraySync(), q.embeddings().arraySync());
  assert.throws(() => r.importState({ embeddings: new Float32Array(3), filled: 0 }), /3 values, expected 8/);
  const wrong = tf.zeros([1, 2, 1]) as tf.Tensor3D;
  assert.throws(() => q.push(wrong), /does not fit/);
  const long = tf.zeros([2, 5, 1]) as tf.Tensor3D;
  assert.throws(() => q.push(long), /A batch of 5 does not fit a queue of length 4/);
  for (const t of [b, wrong, long]) t.dispose();
  q.dispose();
  r.dispose();
});
