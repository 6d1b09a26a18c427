// Backend selection: what `auto` picks here, why the native backends are absent, overrides,
// errors; and that importing the runtime modules does not load tfjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import {
  BACKEND_ENV_VAR,
  BackendError,
  packageVersion,
  parseBackendChoice,
  resolveChoice,
  selectBackend,
} from "../../runtime/backend/select.js";

const nativeInstalled = packageVersion("@tensorflow/tfjs-node") !== null || packageVersion("@tensorflow/tfjs-node-gpu") !== null;

test("auto picks wasm (SIMD) here and records why tfjs-node and tfjs-node-gpu are absent", { skip: nativeInstalled && "a native tfjs backend is installed on this machine" }, async () => {
  const { tf, info } = await selectBackend({ env: {} });
  assert.equal(info.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(info.tfjsBackend, "wasm");
  assert.deepEqual(info.tried.map((t) => [t.name, t.ok]), [["tensorflow-gpu", false], ["tensorflow", false], ["wasm", true]]);
  assert.match(info.tried[0]?.why ?? "", /@tensorflow\/tfjs-node-gpu is not installed/);
  assert.match(info.tried[1]?.why ?? "", /@tensorflow\/tfjs-node is not installed.*libtensorflow/);
  assert.match(info.reason, /^auto: wasm is the first backend that loaded \(tensorflow-gpu, tensorflow unavailable\)/);
  assert.equal(typeof info.simd, "boolean");
  assert.equal(info.threads, 1);
  assert.equal(info.tfjsVersion, "4.22.0");
  // The umbrella package is loaded: gradients and chained ops are registered.
  const g = tf.grad((x) => x.square().sum())(tf.tensor1d([1, 2]));
  assert.deepEqual(Array.from(g.dataSync()), [2, 4]);
});

test("SEER_BACKEND=cpu is honoured, and the explicit option overrides it", async () => {
  const saved = process.env[BACKEND_ENV_VAR];
  process.env[BACKEND_ENV_VAR] = "cpu";
  try {
    const { tf, info } = await selectBackend();
    assert.equal(info.name, "cpu");
    assert.equal(tf.getBackend(), "cpu");
    assert.equal(info.reason, "requested by SEER_BACKEND=cpu");
    assert.deepEqual(info.tried.map((t) => t.name), ["cpu"]);
    const again = await selectBackend({ backend: "wasm" });
    assert.equal(again.info.name, "wasm");
    assert.equal(again.info.reason, "requested by the backend option");
  } finally {
    if (saved === undefined) delete process.env[BACKEND_ENV_VAR];
    else process.env[BACKEND_ENV_VAR] = saved;
  }
});

test("choices parse strictly; an empty SEER_BACKEND means auto", () => {
  assert.equal(parseBackendChoice(" WASM "), "wasm");
  assert.equal(parseBackendChoice(""), "auto");
  assert.throws(() => parseBackendChoice("gpu"), /unknown backend 'gpu' \(--backend\); expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu/);
  assert.deepEqual(resolveChoice({ env: { SEER_BACKEND: "" } }), { choice: "auto", source: "default" });
  assert.deepEqual(resolveChoice({ env: { SEER_BACKEND: "tensorflow" } }), { choice: "tensorflow", source: "SEER_BACKEND=tensorflow" });
});

test("an explicitly requested backend that cannot load is an error, not a silent fallback", { skip: nativeInstalled && "tfjs-node is installed" }, async () => {
  await assert.rejects(selectBackend({ backend: "tensorflow" }), (e: unknown) => {
    assert.ok(e instanceof BackendError);
    assert.match(e.message, /backend tensorflow \(the backend option\) is unavailable/);
    assert.deepEqual(e.tried.map((t) => t.name), ["tensorflow"]);
    return true;
  });
});

test("importing the runtime modules does not load tfjs", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "runtime");
  const modules = ["backend/select.js", "backend/doctor.js", "tfjs/regnet.js", "tfjs/conv.js", "tfjs/batchnorm.js"].map((m) => path.join(root, m));
  const script = `
    import { createRequire } from "node:module";
    for (const m of ${JSON.stringify(modules)}) await import(m);
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("@tensorflow"));
    console.log(JSON.stringify(loaded));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), []);
});
