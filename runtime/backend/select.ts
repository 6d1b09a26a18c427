// Backend selection for the TensorFlow.js runtime.
//
// tfjs is loaded here and only here, lazily (dynamic import), so that the compiler and
// `seer check` never load it. We always import the `@tensorflow/tfjs` umbrella package: in
// Node, `@tensorflow/tfjs-core` alone registers no gradients and no chained ops
// (see shared/reference/tfjs-runtime.md §1).
//
// Backend names (option `backend`, or the SEER_BACKEND environment variable):
//   auto            try tensorflow-gpu, tensorflow, wasm, cpu in that order; use the first that loads
//   tensorflow-gpu  @tensorflow/tfjs-node-gpu: native libtensorflow with CUDA
//   tensorflow      @tensorflow/tfjs-node: native libtensorflow on the CPU
//   wasm            @tensorflow/tfjs-backend-wasm: WebAssembly + SIMD (XNNPACK), one thread in Node
//   cpu             the pure-JavaScript backend: always there, 15-80x slower than wasm
// An explicitly requested backend that fails to load is an error (no silent fallback).
import { createRequire } from "node:module";
import path from "node:path";
import type { Tf } from "../tfjs/tf.js";

export const BACKEND_CHOICES = ["auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, "auto">;
export const BACKEND_ENV_VAR = "SEER_BACKEND";
/** The order `auto` tries backends in. */
export const AUTO_ORDER: readonly BackendName[] = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"];

export const BACKEND_DESCRIPTIONS: Readonly<Record<BackendChoice, string>> = {
  auto: "first backend that loads, in the order tensorflow-gpu, tensorflow, wasm, cpu",
  "tensorflow-gpu": "native libtensorflow with CUDA (@tensorflow/tfjs-node-gpu)",
  tensorflow: "native libtensorflow on the CPU (@tensorflow/tfjs-node)",
  wasm: "WebAssembly with SIMD, one thread (@tensorflow/tfjs-backend-wasm)",
  cpu: "pure JavaScript; a correctness reference, 15-80x slower than wasm",
};

/** The npm package that provides each backend (cpu comes with the umbrella package). */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs-backend-cpu",
};

/** The name tfjs registers each backend under. */
const TFJS_BACKEND_NAMES: Readonly<Record<BackendName, string>> = {
  "tensorflow-gpu": "tensorflow",
  tensorflow: "tensorflow",
  wasm: "wasm",
  cpu: "cpu",
};

export interface BackendAttempt {
  readonly name: BackendName;
  readonly ok: boolean;
  /** Why it loaded or, more usefully, why it did not. */
  readonly why: string;
}

export interface BackendInfo {
  readonly name: BackendName;
  /** What `tf.getBackend()` reports ("tensorflow", "wasm" or "cpu"). */
  readonly tfjsBackend: string;
  /** One line: how this backend came to be chosen. */
  readonly reason: string;
  /** Every backend tried, in order, ending with the chosen one. */
  readonly tried: readonly BackendAttempt[];
  readonly tfjsVersion: string;
  /** wasm only: whether the SIMD build is in use. */
  readonly simd?: boolean;
  /** wasm only: XNNPACK thread count (1 in Node: tfjs disables wasm threads there). */
  readonly threads?: number;
}

export interface LoadedTf {
  readonly tf: Tf;
  readonly info: BackendInfo;
}

export interface SelectOptions {
  /** Overrides SEER_BACKEND. */
  readonly backend?: string;
  /** Where SEER_BACKEND is read from; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export class BackendError extends Error {
  constructor(
    message: string,
    readonly tried: readonly BackendAttempt[],
  ) {
    super(message);
    this.name = "BackendError";
  }
}

/** A backend name that is none of BACKEND_CHOICES: the user's typo (a usage error), not a failure to load. */
export class BackendNameError extends Error {
  readonly help: string;
  constructor(text: string, where: string) {
    super(`unknown backend '${text}' (${where}); expected one of ${BACKEND_CHOICES.join(", ")}`);
    this.name = "BackendNameError";
    this.help = /cuda|gpu|nvidia/i.test(text) ? "for NVIDIA GPUs use `--engine torch` (PyTorch with CUDA), or `tensorflow-gpu` where tfjs-node-gpu is installed" : "leave it out (or use auto) to pick the fastest one installed";
  }
}

export function parseBackendChoice(text: string, where = "--backend"): BackendChoice {
  const t = text.trim().toLowerCase();
  if (t === "") return "auto";
  const found = BACKEND_CHOICES.find((c) => c === t);
  if (found === undefined) throw new BackendNameError(text, where);
  return found;
}

const localRequire = createRequire(import.meta.url);

/** Whether a backend's package can be resolved, without loading it. */
export function packageVersion(pkg: string): string | null {
  try {
    const file = localRequire.resolve(`${pkg}/package.json`);
    const json: unknown = localRequire(file);
    if (typeof json === "object" && json !== null && "version" in json && typeof json.version === "string") {
      return json.version;
    }
    return "unknown";
  } catch {
    return null;
  }
}

function errorText(e: unknown): string {
  const code = typeof e === "object" && e !== null && "code" in e ? String(e.code) : "";
  const msg = e instanceof Error ? e.message : String(e);
  const first = msg.split("\n")[0] ?? msg;
  return code && !first.includes(code) ? `${code}: ${first}` : first;
}

function missingPackage(e: unknown): boolean {
  const code = typeof e === "object" && e !== null && "code" in e ? e.code : undefined;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

const NATIVE_HINT =
  "an optional dependency: its install script downloads libtensorflow from storage.googleapis.com, " +
  "and npm silently skips the package when that fails";

async function tryNative(tf: Tf, name: "tensorflow-gpu" | "tensorflow"): Promise<BackendAttempt> {
  const pkg = BACKEND_PACKAGES[name];
  try {
    const spec: string = pkg; // not a literal: TypeScript must not require its types
    await import(spec);
  } catch (e) {
    const why = missingPackage(e) ? `package ${pkg} is not installed (${NATIVE_HINT})` : `loading ${pkg} failed: ${errorText(e)}`;
    return { name, ok: false, why };
  }
  if (tf.findBackendFactory("tensorflow") === null) {
    return { name, ok: false, why: `${pkg} loaded but registered no 'tensorflow' backend with this copy of @tensorflow/tfjs` };
  }
  const ok = await tf.setBackend("tensorflow");
  return ok
    ? { name, ok, why: `${pkg} loaded; native libtensorflow initialised` }
    : { name, ok, why: `${pkg} loaded but tf.setBackend('tensorflow') failed to initialise it` };
}

async function tryWasm(tf: Tf): Promise<{ attempt: BackendAttempt; simd?: boolean; threads?: number }> {
  const pkg = BACKEND_PACKAGES.wasm;
  let wasm: typeof import("@tensorflow/tfjs-backend-wasm");
  try {
    wasm = await import("@tensorflow/tfjs-backend-wasm");
    // The .wasm binaries sit next to the package's Node entry point (dist/). Say so explicitly:
    // the default relies on __dirname, which bundling can break. (No effect once initialised.)
    wasm.setWasmPaths(path.dirname(localRequire.resolve(pkg)) + path.sep);
  } catch (e) {
    const why = missingPackage(e) ? `package ${pkg} is not installed` : `loading ${pkg} failed: ${errorText(e)}`;
    return { attempt: { name: "wasm", ok: false, why } };
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend("wasm");
  } catch (e) {
    return { attempt: { name: "wasm", ok: false, why: `initialising wasm failed: ${errorText(e)}` } };
  }
  if (!ok) return { attempt: { name: "wasm", ok: false, why: "tf.setBackend('wasm') failed to initialise the WebAssembly module" } };
  const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
  const threads = wasm.getThreadsCount();
  const why = `WebAssembly ${simd ? "with" : "without"} SIMD, ${threads} thread${threads === 1 ? "" : "s"}`;
  return { attempt: { name: "wasm", ok: true, why }, simd, threads };
}

async function tryCpu(tf: Tf): Promise<BackendAttempt> {
  const ok = await tf.setBackend("cpu");
  return ok ? { name: "cpu", ok, why: "pure-JavaScript backend" } : { name: "cpu", ok, why: "tf.setBackend('cpu') failed" };
}

async function attempt(tf: Tf, name: BackendName): Promise<{ attempt: BackendAttempt; simd?: boolean; threads?: number }> {
  switch (name) {
    case "tensorflow-gpu":
    case "tensorflow":
      return { attempt: await tryNative(tf, name) };
    case "wasm":
      return tryWasm(tf);
    case "cpu":
      return { attempt: await tryCpu(tf) };
  }
}

/** Which backend was asked for, and where that came from. */
export function resolveChoice(options: SelectOptions = {}): { choice: BackendChoice; source: string } {
  if (options.backend !== undefined) return { choice: parseBackendChoice(options.backend), source: "the backend option" };
  const env = options.env ?? process.env;
  const fromEnv = env[BACKEND_ENV_VAR];
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    return { choice: parseBackendChoice(fromEnv, BACKEND_ENV_VAR), source: `${BACKEND_ENV_VAR}=${fromEnv.trim()}` };
  }
  return { choice: "auto", source: "default" };
}

/**
 * Loads tfjs and makes one backend current. Returns the tfjs namespace and a record of what was
 * tried, for the CLI to print and for run records.
 */
export async function selectBackend(options: SelectOptions = {}): Promise<LoadedTf> {
  const { choice, source } = resolveChoice(options);
  const tf: Tf = await import("@tensorflow/tfjs");
  const order: readonly BackendName[] = choice === "auto" ? AUTO_ORDER : [choice];
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const r = await attempt(tf, name);
    tried.push(r.attempt);
    if (!r.attempt.ok) continue;
    await tf.ready();
    const skipped = tried.filter((t) => !t.ok).map((t) => t.name);
    const reason =
      choice === "auto"
        ? `auto: ${name} is the first backend that loaded` + (skipped.length ? ` (${skipped.join(", ")} unavailable)` : "")
        : `requested by ${source}`;
    const info: BackendInfo = {
      name,
      tfjsBackend: tf.getBackend(),
      reason,
      tried,
      tfjsVersion: tf.version.tfjs,
      ...(r.simd !== undefined ? { simd: r.simd } : {}),
      ...(r.threads !== undefined ? { threads: r.threads } : {}),
    };
    if (info.tfjsBackend !== TFJS_BACKEND_NAMES[name]) {
      throw new BackendError(`backend ${name} selected but tfjs reports '${info.tfjsBackend}'`, tried);
    }
    return { tf, info };
  }
  const detail = tried.map((t) => `${t.name}: ${t.why}`).join("; ");
  throw new BackendError(
    choice === "auto" ? `no tfjs backend could be loaded (${detail})` : `backend ${choice} (${source}) is unavailable: ${detail}`,
    tried,
  );
}

/** One line per attempt, for logs: "wasm  ok  WebAssembly with SIMD, 1 thread". */
export function formatAttempts(tried: readonly BackendAttempt[]): string {
  return tried.map((t) => `${t.name.padEnd(14)} ${t.ok ? "ok " : "no "} ${t.why}`).join("\n");
}
