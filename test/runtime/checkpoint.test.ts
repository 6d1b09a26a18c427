// Checkpoint files: bitwise round trip, atomic writes, keep-last-N, corruption fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeCheckpoint, encodeCheckpoint, listCheckpoints, loadLatestCheckpoint, saveCheckpoint, type Checkpoint } from "../../runtime/train/checkpoint.js";

interface State {
  epoch: number;
  rng: number[];
}

function sample(step: number): Checkpoint<State> {
  const w = new Float32Array([1.5, -0, Number.MIN_VALUE, 3.4028234663852886e38, Math.PI, step]);
  const nanBits = new Float32Array(1);
  new Uint32Array(nanBits.buffer)[0] = 0x7fc00abc; // a NaN with a payload: must survive byte for byte
  return {
    step,
    state: { epoch: step >> 1, rng: [step, 7, 2 ** 31 - 1] },
    tensors: new Map([
      ["s1.b1.f.a.weight", { shape: [2, 3], data: w }],
      ["opt.momentum.s1.b1.f.a.weight", { shape: [6], data: w.map((x) => x * 2) }],
      ["nan", { shape: [1], data: nanBits }],
    ]),
  };
}

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

test("encode/decode is bitwise exact (negative zero, subnormals, NaN payloads) and keeps the state", () => {
  const c = sample(42);
  const back = decodeCheckpoint<State>(encodeCheckpoint(c));
  assert.equal(back.step, 42);
  assert.deepEqual(back.state, c.state);
  for (const [name, t] of c.tensors) {
    const b = back.tensors.get(name);
    assert.ok(b, name);
    assert.deepEqual(b.shape, t.shape);
    assert.ok(bytesOf(b.data).equals(bytesOf(t.data)), `${name} bytes`);
  }
});

test("saving keeps the newest `keep` files and leaves no temp files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-ckpt-"));
  for (const step of [10, 20, 30, 40]) saveCheckpoint(dir, sample(step), 2);
  assert.deepEqual(listCheckpoints(dir).map((c) => c.step), [30, 40]);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
  assert.equal(loadLatestCheckpoint<State>(dir).checkpoint?.step, 40);
});

test("a truncated or corrupted newest checkpoint is detected and the previous one is used", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-ckpt-"));
  saveCheckpoint(dir, sample(1), 3);
  saveCheckpoint(dir, sample(2), 3);
  const newest = saveCheckpoint(dir, sample(3), 3);
  truncateSync(newest, 40);
  let r = loadLatestCheckpoint<State>(dir);
  assert.equal(r.checkpoint?.step, 2);
  assert.equal(r.skipped.length, 1);
  assert.match(r.skipped[0]!.reason, /checksum|not a seer checkpoint/);
  const second = listCheckpoints(dir)[1]!.file;
  const bytes = readFileSync(second);
  bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0x01; // one flipped bit
  writeFileSync(second, bytes);
  r = loadLatestCheckpoint<State>(dir);
  assert.equal(r.checkpoint?.step, 1);
  assert.equal(r.skipped.length, 2);
});

test("an empty or missing folder has no checkpoint; a half-written temp file is ignored", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-ckpt-"));
  assert.equal(loadLatestCheckpoint(path.join(dir, "missing")).checkpoint, undefined);
  writeFileSync(path.join(dir, "ckpt-000000005.seerckpt.123.tmp"), "half");
  assert.equal(loadLatestCheckpoint(dir).checkpoint, undefined);
});

test("a tensor whose shape does not match its data is refused", () => {
  assert.throws(() => encodeCheckpoint({ step: 0, state: {}, tensors: new Map([["x", { shape: [3], data: new Float32Array(2) }]]) }), /does not match/);
});
