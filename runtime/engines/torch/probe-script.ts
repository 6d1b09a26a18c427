/**
 * What an interpreter says of its torch: a constant Python script (run as `PYTHON -c SCRIPT`
 * here or over a host's shell) that prints one marked JSON line, and the reading of that line.
 * Importing torch takes 1-3 s; nothing else it does is slow.
 */
import { isObject } from "../../../core/json.js";

export interface TorchDevice {
  name: string;
  memoryBytes: number;
}

/** An interpreter that has torch 1.13 or newer, and what that torch can do. */
export interface TorchProbe {
  /** The interpreter as it was named (a path, or a command found on PATH). */
  python: string;
  /** Its version, e.g. `3.11.2`. */
  pythonVersion: string;
  torch: string;
  torchvision: string | null;
  /** The CUDA version torch runs with, or null when `torch.cuda.is_available()` is false. */
  cuda: string | null;
  /** The CUDA version torch was built for (`torch.version.cuda`), or null for a CPU build. */
  cudaBuild: string | null;
  devices: TorchDevice[];
  distributed: boolean;
  gloo: boolean;
  nccl: boolean;
  /** Whether `import torch.distributed.fsdp` works (it fails on Debian's torch 1.13 under Python 3.11). */
  fsdp: { ok: boolean; reason?: string };
  /** Interpreters tried before this one, and why each was passed over. */
  tried: TriedPython[];
}

export interface TriedPython {
  python: string;
  problem: string;
}

const MARK = "SEER_TORCH_PROBE ";
/** The oldest torch the engine is written for. */
export const MIN_TORCH: readonly [number, number] = [1, 13];

export const TORCH_PROBE_SCRIPT = `import json, sys
out = {"python": sys.version.split()[0]}
try:
    import torch
except Exception as e:
    out["error"] = "no torch (%s: %s)" % (type(e).__name__, e)
    print(${JSON.stringify(MARK)} + json.dumps(out)); sys.exit(0)
out["torch"] = torch.__version__
try:
    import torchvision
    out["torchvision"] = torchvision.__version__
except Exception:
    out["torchvision"] = None
ok = torch.cuda.is_available()
out["cuda_build"] = torch.version.cuda
out["cuda"] = torch.version.cuda if ok else None
out["devices"] = [{"name": p.name, "memory": p.total_memory} for p in (torch.cuda.get_device_properties(i) for i in range(torch.cuda.device_count() if ok else 0))]
d = torch.distributed
out["distributed"] = bool(d.is_available())
out["gloo"] = bool(out["distributed"] and d.is_gloo_available())
out["nccl"] = bool(out["distributed"] and d.is_nccl_available())
try:
    import torch.distributed.fsdp
    out["fsdp"] = None
except Exception as e:
    out["fsdp"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
print(${JSON.stringify(MARK)} + json.dumps(out))
`;

/** How running the script went, wherever it ran. */
export interface ScriptOutcome {
  /** Exit status; null when the program did not run (see `error`). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run or finish (not found, timed out). */
  error?: string;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** `1.13.0a0` -> [1, 13]; undefined when it is not a version. */
export function torchVersion(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function atLeast(v: string, min: readonly [number, number]): boolean {
  const p = torchVersion(v);
  return p !== undefined && (p[0] > min[0] || (p[0] === min[0] && p[1] >= min[1]));
}

/** The probe of `python` from the script's outcome, or the problem (no torch, too old, did not run). */
export function readProbe(python: string, r: ScriptOutcome): Omit<TorchProbe, "tried"> | { problem: string } {
  if (r.error !== undefined) return { problem: r.error };
  const line = r.stdout.split("\n").find((l) => l.startsWith(MARK));
  if (r.code !== 0 || line === undefined) {
    const last = r.stderr.trim().split("\n").pop();
    return { problem: r.code === 127 ? "not found" : last ? `does not run (${last})` : `exit status ${r.code}` };
  }
  let v: unknown;
  try {
    v = JSON.parse(line.slice(MARK.length));
  } catch {
    return { problem: "printed a probe that is not JSON" };
  }
  if (!isObject(v)) return { problem: "printed a probe that is not JSON" };
  const error = str(v["error"]);
  if (error !== null) return { problem: error };
  const torch = str(v["torch"]) ?? "?";
  if (!atLeast(torch, MIN_TORCH)) return { problem: `torch ${torch} is older than ${MIN_TORCH.join(".")}` };
  const devices = Array.isArray(v["devices"]) ? v["devices"].filter(isObject).map((d) => ({ name: str(d["name"]) ?? "?", memoryBytes: typeof d["memory"] === "number" ? d["memory"] : 0 })) : [];
  const fsdp = str(v["fsdp"]);
  return {
    python,
    pythonVersion: str(v["python"]) ?? "?",
    torch,
    torchvision: str(v["torchvision"]),
    cuda: str(v["cuda"]),
    cudaBuild: str(v["cuda_build"]),
    devices,
    distributed: v["distributed"] === true,
    gloo: v["gloo"] === true,
    nccl: v["nccl"] === true,
    fsdp: fsdp === null ? { ok: true } : { ok: false, reason: fsdp },
  };
}
