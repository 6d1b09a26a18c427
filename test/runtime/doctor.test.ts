// `seer doctor`'s report: GPU detection through nvidia-smi (faked here), hints, rendering.
import { test } from "node:test";
import assert from "node:assert/strict";
import { collectDoctor, formatDoctor, parseNvidiaSmi, type CommandRunner } from "../../runtime/backend/doctor.js";
import type { BackendInfo } from "../../runtime/backend/select.js";

const wasmInfo: BackendInfo = {
  name: "wasm",
  tfjsBackend: "wasm",
  reason: "auto: wasm is the first backend that loaded (tensorflow-gpu, tensorflow unavailable)",
  tried: [
    { name: "tensorflow-gpu", ok: false, why: "package @tensorflow/tfjs-node-gpu is not installed" },
    { name: "tensorflow", ok: false, why: "package @tensorflow/tfjs-node is not installed" },
    { name: "wasm", ok: true, why: "WebAssembly with SIMD, 1 thread" },
  ],
  tfjsVersion: "4.22.0",
  simd: true,
  threads: 1,
};
const fakeSelect = async (): Promise<{ info: BackendInfo }> => ({ info: wasmInfo });

test("nvidia-smi output is parsed into devices (names may contain commas)", () => {
  assert.deepEqual(parseNvidiaSmi("NVIDIA H200, 143771 MiB\nTesla T4, rev 2, 15360 MiB\n\n"), [
    { name: "NVIDIA H200", memoryTotal: "143771 MiB" },
    { name: "Tesla T4, rev 2", memoryTotal: "15360 MiB" },
  ]);
});

test("without nvidia-smi the report says so and explains how to get the GPU backend", async () => {
  const calls: string[] = [];
  const run: CommandRunner = async (cmd, args, timeout) => {
    calls.push(`${cmd} ${args.join(" ")} (${timeout} ms)`);
    return { ok: false, missing: true, error: "spawn nvidia-smi ENOENT" };
  };
  const r = await collectDoctor({ run, select: fakeSelect, env: {} });
  assert.deepEqual(calls, ["nvidia-smi --query-gpu=name,memory.total --format=csv,noheader (5000 ms)"]);
  assert.deepEqual(r.gpus.devices, []);
  assert.match(r.gpus.note, /nvidia-smi not found/);
  assert.equal(r.backend?.name, "wasm");
  assert.equal(r.requested, "auto (default)");
  assert.equal(r.node.version, process.version);
  assert.ok(r.memory.totalBytes > 0 && r.cpu.logicalCores > 0);
  assert.ok(r.disk.freeBytes !== null && r.disk.freeBytes > 0);
  assert.ok(r.hints.some((h) => /CUDA 11\.2 and cuDNN 8\.1/.test(h) && /storage\.googleapis\.com/.test(h)));
  const text = formatDoctor(r);
  assert.match(text, /^node {6}v\d+/);
  assert.match(text, /gpus {6}none \(nvidia-smi not found/);
  assert.match(text, /using: wasm \(SIMD on, 1 thread\)/);
  assert.match(text, /tensorflow-gpu +no +package @tensorflow\/tfjs-node-gpu is not installed/);
  assert.match(text, /@tensorflow\/tfjs-backend-wasm +4\.22\.0/);
});

test("visible GPUs are listed, and the hint says the GPU backend is missing", async () => {
  const run: CommandRunner = async () => ({ ok: true, stdout: "NVIDIA H200, 143771 MiB\n" });
  const r = await collectDoctor({ run, select: fakeSelect, env: { SEER_BACKEND: "wasm" } });
  assert.deepEqual(r.gpus.devices, [{ name: "NVIDIA H200", memoryTotal: "143771 MiB" }]);
  assert.equal(r.requested, "wasm (SEER_BACKEND=wasm)");
  assert.match(r.hints[0] ?? "", /^A GPU is visible but the GPU backend is not installed/);
  assert.match(formatDoctor(r), /gpus {6}NVIDIA H200 \(143771 MiB\)/);
});

test("a failing nvidia-smi and a failing backend are reported, not thrown", async () => {
  const run: CommandRunner = async () => ({ ok: false, missing: false, error: "timed out after 5000 ms" });
  const select = async (): Promise<{ info: BackendInfo }> => {
    throw new Error("backend tensorflow (the backend option) is unavailable");
  };
  const r = await collectDoctor({ run, select, backend: "tensorflow" });
  assert.equal(r.gpus.note, "nvidia-smi failed: timed out after 5000 ms");
  assert.equal(r.backend, null);
  assert.match(formatDoctor(r), /none: backend tensorflow \(the backend option\) is unavailable/);
});
