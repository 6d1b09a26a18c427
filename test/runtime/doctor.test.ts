// `seer doctor`'s report: GPU detection through nvidia-smi (faked here), hints, rendering.
import { test } from "node:test";
import assert from "node:assert/strict";
import { collectDoctor, formatDoctor, parseNvidiaSmi, type CommandRunner } from "../../runtime/backend/doctor.js";
import type { BackendInfo } from "../../runtime/backend/select.js";
import type { TorchSearch } from "../../runtime/engines/torch/python.js";

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

const noTorch = async (): Promise<TorchSearch> => ({ found: false, missing: { tried: [{ python: "/usr/bin/python3", problem: "no torch (ModuleNotFoundError: No module named 'torch')" }] } });

test("visible GPUs are listed, and the hint says the GPU backend is missing and points to --engine torch", async () => {
  const run: CommandRunner = async () => ({ ok: true, stdout: "NVIDIA A100-SXM4-80GB, 81920 MiB\n" });
  const r = await collectDoctor({ run, select: fakeSelect, torch: noTorch, env: { SEER_BACKEND: "wasm" } });
  assert.deepEqual(r.gpus.devices, [{ name: "NVIDIA A100-SXM4-80GB", memoryTotal: "81920 MiB" }]);
  assert.equal(r.requested, "wasm (SEER_BACKEND=wasm)");
  assert.match(r.hints[0] ?? "", /^A GPU is visible but the GPU backend is not installed/);
  assert.match(r.hints[1] ?? "", /tfjs engine cannot use it .*--engine torch/);
  const text = formatDoctor(r);
  assert.match(text, /gpus {6}NVIDIA A100-SXM4-80GB \(81920 MiB\)/);
  assert.match(text, /torch {5}not available: \/usr\/bin\/python3: no torch/);
});

test("a Hopper GPU (H200): tfjs-node-gpu cannot serve it, so the hint is --engine torch, not installing it", async () => {
  const run: CommandRunner = async () => ({ ok: true, stdout: "NVIDIA H200, 143771 MiB\n" });
  const torch = async (): Promise<TorchSearch> => ({
    found: true,
    probe: { python: "/opt/torch/.venv/bin/python", pythonVersion: "3.11.9", torch: "2.4.1", torchvision: "0.19.1", cuda: "12.4", cudaBuild: "12.4", devices: [{ name: "NVIDIA H200", memoryBytes: 143771 * 2 ** 20 }], distributed: true, gloo: true, nccl: true, fsdp: { ok: true }, tried: [] },
  });
  const r = await collectDoctor({ run, select: fakeSelect, torch, env: { SEER_BACKEND: "wasm" } });
  assert.ok(!r.hints.some((h) => /GPU backend is not installed/.test(h)));
  assert.match(r.hints[0] ?? "", /H200 is a Hopper GPU \(sm_90\).*`--engine torch` \(torch sees the GPU here\)/);
  assert.equal(r.engines.torch?.found && r.engines.torch.torchrun, true);
  const text = formatDoctor(r);
  assert.match(text, /torch {5}2\.4\.1 \(torchvision 0\.19\.1\) with \/opt\/torch\/\.venv\/bin\/python/);
  assert.match(text, /CUDA: 12\.4; NVIDIA H200 \(140\.4 GiB\)/);
  assert.match(text, /gloo yes, nccl yes; FSDP: yes; torchrun: yes/);
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
