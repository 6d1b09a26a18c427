/**
 * The interpreter that runs the torch engine. Looked for in this order: `SEER_PYTHON` (when set,
 * the only one tried), an explicit path (a host's `python` in the inventory), `/usr/bin/python3`
 * (Debian's python3-torch installs there), `python3` on PATH. Each is probed with
 * TORCH_PROBE_SCRIPT (60 s at most); the first with torch 1.13 or newer wins. Results are kept
 * for the life of the process. Also: where the engine's Python package ships.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { packageRoot } from "../../../core/package-root.js";
import { readProbe, TORCH_PROBE_SCRIPT, type ScriptOutcome, type TorchProbe, type TriedPython } from "./probe-script.js";

export { TORCH_PROBE_SCRIPT, readProbe, type ScriptOutcome, type TorchDevice, type TorchProbe, type TriedPython } from "./probe-script.js";

export const PYTHON_ENV_VAR = "SEER_PYTHON";
export const PROBE_TIMEOUT_MS = 60_000;
export const TORCH_INSTALL_HINT = "install Debian's torch (`apt-get install python3-torch python3-torchvision`, for /usr/bin/python3), or set SEER_PYTHON to an interpreter that has torch 1.13 or newer";

/** No interpreter has torch: each one tried and why it was passed over. */
export interface TorchMissing {
  tried: TriedPython[];
}

export type TorchSearch = { found: true; probe: TorchProbe } | { found: false; missing: TorchMissing };

/** Runs `python -c script`; here by default, over a host's shell for `seer hosts test`. */
export type ScriptRunner = (python: string, script: string, timeoutMs: number) => Promise<ScriptOutcome>;

export interface FindOptions {
  /** An interpreter named by a host inventory (tried after SEER_PYTHON). */
  python?: string;
  env?: Readonly<Record<string, string | undefined>>;
  run?: ScriptRunner;
  timeoutMs?: number;
}

export const localRunner: ScriptRunner = (python, script, timeoutMs) =>
  new Promise((resolve) => {
    execFile(python, ["-c", script], { timeout: timeoutMs, encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } }, (err, stdout, stderr) => {
      if (err === null) return resolve({ code: 0, stdout, stderr });
      const errno = err.code;
      if (errno === "ENOENT") return resolve({ code: null, stdout, stderr, error: "not found" });
      if (err.killed) return resolve({ code: null, stdout, stderr, error: `timed out after ${timeoutMs / 1000} s` });
      if (errno === "EACCES") return resolve({ code: null, stdout, stderr, error: "not executable" });
      resolve({ code: typeof err.code === "number" ? err.code : 1, stdout, stderr });
    });
  });

/** The interpreters to try, in order (SEER_PYTHON alone when it is set). */
export function candidates(o: Pick<FindOptions, "python" | "env"> = {}): string[] {
  const fromEnv = (o.env ?? process.env)[PYTHON_ENV_VAR];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return [fromEnv.trim()];
  return [...new Set([...(o.python ? [o.python] : []), "/usr/bin/python3", "python3"])];
}

/** Probes each candidate in turn; the first with torch wins. Not cached (see findTorch). */
export async function searchTorch(list: readonly string[], run: ScriptRunner = localRunner, timeoutMs = PROBE_TIMEOUT_MS): Promise<TorchSearch> {
  const tried: TriedPython[] = [];
  for (const python of list) {
    const r = readProbe(python, await run(python, TORCH_PROBE_SCRIPT, timeoutMs));
    if ("problem" in r) tried.push({ python, problem: r.problem });
    else return { found: true, probe: { ...r, tried } };
  }
  return { found: false, missing: { tried } };
}

const cache = new Map<string, Promise<TorchSearch>>();

/** The interpreter with torch on this machine, looked for once per process and candidate list. */
export function findTorch(o: FindOptions = {}): Promise<TorchSearch> {
  const list = candidates(o);
  if (o.run) return searchTorch(list, o.run, o.timeoutMs);
  const k = list.join("\0");
  let p = cache.get(k);
  if (!p) cache.set(k, (p = searchTorch(list, localRunner, o.timeoutMs)));
  return p;
}

/** One line: each interpreter tried and why it was passed over. */
export function describeMissing(m: TorchMissing): string {
  return m.tried.map((t) => `${t.python}: ${t.problem}`).join("; ");
}

/** `engines/torch` of this installation: the folder to put on PYTHONPATH for `seer_torch`. */
export function torchPackageDir(): string {
  return path.join(packageRoot(), "engines", "torch");
}
