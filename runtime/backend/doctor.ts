// What `seer doctor` reports about the machine and the TensorFlow.js backends.
// `collectDoctor` gathers facts (its command runner and backend loading can be replaced, for
// tests); `formatDoctor` renders them as text. Loading a backend loads tfjs, so the CLI should
// import this module lazily, like the rest of runtime/.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import {
  AUTO_ORDER,
  BACKEND_DESCRIPTIONS,
  BACKEND_PACKAGES,
  formatAttempts,
  packageVersion,
  resolveChoice,
  selectBackend,
  type BackendInfo,
  type BackendName,
  type SelectOptions,
} from "./select.js";
import { collectTorchEngine, formatTorchEngine, gpuEngineHints, isHopper, type TorchEngineFacts } from "../engines/torch/doctor.js";
import type { TorchSearch } from "../engines/torch/python.js";

export interface GpuDevice {
  readonly name: string;
  /** As nvidia-smi prints it, e.g. "143771 MiB". */
  readonly memoryTotal: string;
}

export interface DoctorReport {
  readonly node: { readonly version: string; readonly platform: string; readonly arch: string };
  readonly cpu: { readonly model: string; readonly logicalCores: number };
  readonly memory: { readonly totalBytes: number; readonly freeBytes: number };
  readonly disk: { readonly path: string; readonly freeBytes: number | null; readonly error?: string };
  /** `note` says why the list is empty, when it is. */
  readonly gpus: { readonly devices: readonly GpuDevice[]; readonly note: string };
  readonly packages: readonly { readonly backend: BackendName | "tfjs"; readonly name: string; readonly version: string | null }[];
  readonly requested: string;
  /** null when no backend could be loaded (see `backendError`), or when loading was skipped. */
  readonly backend: BackendInfo | null;
  readonly backendError: string | null;
  /** The engines: tfjs (the backend above) and torch (its interpreter, or why there is none). */
  readonly engines: { readonly tfjs: { readonly backend: BackendName | null; readonly version: string | null }; readonly torch: TorchEngineFacts | null };
  readonly hints: readonly string[];
}

export type CommandResult = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly missing: boolean; readonly error: string };
export type CommandRunner = (command: string, args: readonly string[], timeoutMs: number) => Promise<CommandResult>;

export interface DoctorOptions extends SelectOptions {
  /** Directory whose file system's free space is reported (default: process.cwd()). */
  readonly cwd?: string;
  /** Runs nvidia-smi (default: child_process.execFile). */
  readonly run?: CommandRunner;
  /** Loads tfjs and selects a backend (default: selectBackend). Pass null to skip. */
  readonly select?: ((o: SelectOptions) => Promise<{ info: BackendInfo }>) | null;
  /** Looks for torch (default: findTorch). Pass null to skip. */
  readonly torch?: (() => Promise<TorchSearch>) | null;
}

export const NVIDIA_SMI_TIMEOUT_MS = 5000;

export const defaultRunner: CommandRunner = (command, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err === null) return resolve({ ok: true, stdout });
      const code = (err as NodeJS.ErrnoException).code;
      const missing = code === "ENOENT";
      const detail = err.killed ? `timed out after ${timeoutMs} ms` : (stderr.trim().split("\n")[0] ?? "") || err.message;
      resolve({ ok: false, missing, error: detail });
    });
  });

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader`. */
export function parseNvidiaSmi(stdout: string): GpuDevice[] {
  return stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => {
      const cut = l.lastIndexOf(",");
      return cut < 0 ? { name: l, memoryTotal: "?" } : { name: l.slice(0, cut).trim(), memoryTotal: l.slice(cut + 1).trim() };
    });
}

async function gpus(run: CommandRunner): Promise<DoctorReport["gpus"]> {
  const r = await run("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader"], NVIDIA_SMI_TIMEOUT_MS);
  if (!r.ok) {
    return { devices: [], note: r.missing ? "nvidia-smi not found: no NVIDIA driver installed, or it is not on PATH" : `nvidia-smi failed: ${r.error}` };
  }
  const devices = parseNvidiaSmi(r.stdout);
  return { devices, note: devices.length === 0 ? "nvidia-smi lists no GPUs" : "" };
}

async function freeDisk(dir: string): Promise<DoctorReport["disk"]> {
  try {
    const s = await fs.statfs(dir);
    return { path: dir, freeBytes: s.bavail * s.bsize };
  } catch (e) {
    return { path: dir, freeBytes: null, error: e instanceof Error ? e.message : String(e) };
  }
}

const GPU_INSTALL =
  "npm install @tensorflow/tfjs-node-gpu@4.22.0 on a machine that can reach storage.googleapis.com: its install " +
  "script downloads libtensorflow 2.9.1 (GPU build) and a prebuilt addon (or builds the addon with node-gyp). " +
  "It runs on Linux x86_64 with an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 (what TensorFlow 2.9 targets)";

function hintsFor(r: Omit<DoctorReport, "hints">): string[] {
  const hints: string[] = [];
  const installed = (b: BackendName): boolean => r.packages.some((p) => p.backend === b && p.version !== null);
  const chosen = r.backend?.name;
  if (r.gpus.devices.length > 0 && chosen !== "tensorflow-gpu" && !r.gpus.devices.some((d) => isHopper(d.name))) {
    hints.push(installed("tensorflow-gpu")
      ? "A GPU is visible and @tensorflow/tfjs-node-gpu is installed but did not load; see the backend list above (CUDA 11.2 / cuDNN 8.1 libraries on the library path?)"
      : `A GPU is visible but the GPU backend is not installed. To use it: ${GPU_INSTALL}.`);
  } else if (r.gpus.devices.length === 0) {
    hints.push(`No GPU backend possible here (${r.gpus.note || "no GPU"}). On a GPU machine: ${GPU_INSTALL}.`);
  }
  if (r.engines.torch) hints.push(...gpuEngineHints(r.gpus.devices.map((d) => d.name), chosen === "tensorflow-gpu", r.engines.torch));
  if (!installed("tensorflow") && chosen !== "tensorflow-gpu") {
    hints.push("Native CPU TensorFlow: npm install @tensorflow/tfjs-node@4.22.0 (also downloads libtensorflow at install time, so it needs network access then).");
  }
  if (chosen === "wasm") hints.push("wasm runs on one thread in Node: tfjs disables wasm threads there.");
  if (chosen === "cpu") hints.push("The cpu backend is a correctness reference: expect training 15-80x slower than wasm.");
  return hints;
}

export async function collectDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const run = options.run ?? defaultRunner;
  const select = options.select === undefined ? selectBackend : options.select;
  const cpus = os.cpus();
  const { choice, source } = resolveChoice(options);
  let backend: BackendInfo | null = null;
  let backendError: string | null = null;
  if (select !== null) {
    try {
      backend = (await select(options)).info;
    } catch (e) {
      backendError = e instanceof Error ? e.message : String(e);
    }
  }
  const base: Omit<DoctorReport, "hints"> = {
    node: { version: process.version, platform: process.platform, arch: process.arch },
    cpu: { model: cpus[0]?.model.trim() ?? "unknown", logicalCores: cpus.length },
    memory: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
    disk: await freeDisk(options.cwd ?? process.cwd()),
    gpus: await gpus(run),
    packages: [
      { backend: "tfjs", name: "@tensorflow/tfjs", version: packageVersion("@tensorflow/tfjs") },
      ...AUTO_ORDER.map((b) => ({ backend: b, name: BACKEND_PACKAGES[b], version: packageVersion(BACKEND_PACKAGES[b]) })),
    ],
    requested: `${choice} (${source})`,
    backend,
    backendError,
    engines: {
      tfjs: { backend: backend?.name ?? null, version: backend?.tfjsVersion ?? packageVersion("@tensorflow/tfjs") },
      torch: options.torch === null ? null : await collectTorchEngine(options.torch),
    },
  };
  return { ...base, hints: hintsFor(base) };
}

/** Bytes as `12.3 GiB`: memory and free disk in messages (doctor, hosts). */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

export function formatDoctor(r: DoctorReport): string {
  const lines: string[] = [];
  lines.push(`node      ${r.node.version} (${r.node.platform}/${r.node.arch})`);
  lines.push(`cpu       ${r.cpu.logicalCores} x ${r.cpu.model}`);
  lines.push(`memory    ${gib(r.memory.freeBytes)} free of ${gib(r.memory.totalBytes)}`);
  lines.push(`disk      ${r.disk.freeBytes === null ? `unknown (${r.disk.error ?? "?"})` : `${gib(r.disk.freeBytes)} free`} at ${r.disk.path}`);
  lines.push(`gpus      ${r.gpus.devices.length === 0 ? `none (${r.gpus.note})` : r.gpus.devices.map((d) => `${d.name} (${d.memoryTotal})`).join("; ")}`);
  lines.push("packages");
  for (const p of r.packages) lines.push(`  ${p.name.padEnd(30)} ${p.version ?? "not installed"}`);
  lines.push(`backend   requested: ${r.requested}`);
  if (r.backend !== null) {
    const b = r.backend;
    const extra = b.simd === undefined ? "" : ` (SIMD ${b.simd ? "on" : "off"}, ${b.threads ?? "?"} thread${b.threads === 1 ? "" : "s"})`;
    lines.push(`          using: ${b.name}${extra}, tfjs ${b.tfjsVersion}: ${BACKEND_DESCRIPTIONS[b.name]}`);
    lines.push(`          why: ${b.reason}`);
    lines.push(...formatAttempts(b.tried).split("\n").map((l) => `          ${l}`));
  } else {
    lines.push(`          none: ${r.backendError ?? "not loaded"}`);
  }
  lines.push("engines");
  lines.push(`  tfjs      ${r.engines.tfjs.backend ? `backend ${r.engines.tfjs.backend}` : "no backend loaded"}, tfjs ${r.engines.tfjs.version ?? "not installed"}: every stage kind`);
  if (r.engines.torch) lines.push(...formatTorchEngine(r.engines.torch));
  if (r.hints.length > 0) {
    lines.push("hints");
    for (const h of r.hints) lines.push(`  - ${h}`);
  }
  return lines.join("\n");
}
