// Shared helpers for the runtime tests: run a function on a given backend from plain arrays and
// collect its output and gradients, and compare results. No side effects at import time (the
// test runner also executes this file).
import assert from "node:assert/strict";
import { selectBackend } from "../../runtime/backend/select.js";
import { normalValues } from "../../runtime/tfjs/init.js";
import type { Tensor, Tf } from "../../runtime/tfjs/tf.js";

export interface ArrayInput {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** Loads tfjs on wasm (quietly: the cpu backend greets Node users on stderr otherwise). */
export async function loadWasm(): Promise<Tf> {
  const { tf } = await selectBackend({ backend: "wasm" });
  tf.enableProdMode();
  return tf;
}

let counter = 0;
/** A fresh N(0, std²) input of the given shape (deterministic across runs). */
export function randomInput(shape: number[], std = 1): ArrayInput {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: normalValues(n, std, 12345, `input-${counter++}`) };
}

export interface Evaluated {
  readonly y: Float32Array;
  readonly shape: number[];
  readonly grads: Float32Array[];
}

/**
 * On `backend`: y = f(inputs) and the gradients of sum(y · r) (r a fixed random tensor) with
 * respect to the inputs listed in `wrt` (default: all).
 */
export async function evaluate(
  tf: Tf,
  backend: "cpu" | "wasm",
  inputs: readonly ArrayInput[],
  f: (ts: Tensor[]) => Tensor,
  wrt?: readonly number[],
): Promise<Evaluated> {
  if (!(await tf.setBackend(backend))) throw new Error(`cannot switch to ${backend}`);
  const before = tf.memory().numTensors;
  let out: Evaluated | undefined;
  tf.tidy(() => {
    const ts = inputs.map((i) => tf.tensor(i.values, i.shape, "float32"));
    const y = f(ts);
    const r = tf.tensor(normalValues(y.size, 1, 999, `r-${y.shape.join("x")}`), y.shape, "float32");
    const idx = wrt ?? inputs.map((_, i) => i);
    const g = tf.grads((...xs: Tensor[]) => {
      const all = ts.slice();
      idx.forEach((k, j) => {
        all[k] = xs[j] as Tensor;
      });
      return tf.sum(tf.mul(f(all), r));
    });
    const grads = g(idx.map((k) => ts[k] as Tensor));
    out = { y: y.dataSync() as Float32Array, shape: y.shape, grads: grads.map((t) => t.dataSync() as Float32Array) };
  });
  assert.equal(tf.memory().numTensors, before, `tensors leaked on ${backend}`);
  if (out === undefined) throw new Error("unreachable");
  return out;
}

/** max |a − b| / max |b|. */
export function relError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, "length mismatch");
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    den = Math.max(den, Math.abs(b[i] ?? 0));
  }
  return num / Math.max(den, 1e-30);
}

/** Asserts that ours matches the reference in output and every gradient. */
export function assertMatches(ours: Evaluated, ref: Evaluated, tol: number, label: string): void {
  assert.deepEqual(ours.shape, ref.shape, `${label}: output shape`);
  const e = relError(ours.y, ref.y);
  assert.ok(e < tol, `${label}: output relative error ${e.toExponential(2)}`);
  assert.equal(ours.grads.length, ref.grads.length);
  ours.grads.forEach((g, i) => {
    const eg = relError(g, ref.grads[i] as Float32Array);
    assert.ok(eg < tol, `${label}: gradient ${i} relative error ${eg.toExponential(2)}`);
  });
}
