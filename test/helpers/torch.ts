/**
 * The PyTorch engine's Python worker (engines/torch/seer_torch), run by the Node suite: the
 * interpreter that has torch is `SEER_PYTHON`, else `/usr/bin/python3` (Debian's torch), else
 * `python3`. Without one, a test skips with the reason, unless SEER_REQUIRE_TORCH=1: then the
 * absence is a failure.
 */
import { execFile, spawnSync } from "node:child_process";
import path from "node:path";
import type { TestContext } from "node:test";
import { ROOT } from "./paths.js";

const env = process.env;
const CANDIDATES = [env["SEER_PYTHON"], "/usr/bin/python3", "python3"].filter((p): p is string => !!p);

let found: string | { reason: string } | undefined;
let warned = false;

/** The first candidate interpreter that imports torch and numpy, or why there is none (looked for once). */
export function torchPython(): string | { reason: string } {
  if (found !== undefined) return found;
  const tried: string[] = [];
  for (const py of CANDIDATES) {
    const r = spawnSync(py, ["-c", "import torch, numpy; print(torch.__version__)"], { encoding: "utf8", timeout: 60_000 });
    if (r.status === 0) return (found = py);
    const why = r.error ? r.error.message : r.stderr.trim().split("\n").pop() || `exit status ${r.status}`;
    tried.push(`${py}: ${why}`);
  }
  return (found = { reason: `no Python with torch and numpy (tried ${tried.join("; ")}); install Debian's python3-torch, or set SEER_PYTHON` });
}

/** The interpreter, or undefined after skipping the test (failing it when SEER_REQUIRE_TORCH=1). */
export function needTorch(t: TestContext): string | undefined {
  const py = torchPython();
  if (typeof py === "string") return py;
  if (env["SEER_REQUIRE_TORCH"] === "1") throw new Error(`${py.reason} (SEER_REQUIRE_TORCH=1)`);
  if (!warned) process.stderr.write(`\nWARNING: torch engine tests skipped: ${py.reason}\n`);
  warned = true;
  t.skip(py.reason);
  return undefined;
}

/** `python -m seer_torch.selftest COMMAND` with `input` as JSON on stdin; its JSON output. */
export function selftest<T>(py: string, command: string, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      py,
      ["-m", "seer_torch.selftest", command],
      {
        cwd: ROOT,
        env: { ...env, PYTHONPATH: path.join(ROOT, "engines", "torch"), PYTHONDONTWRITEBYTECODE: "1", OMP_NUM_THREADS: "1" },
        maxBuffer: 256 * 1024 * 1024,
        timeout: 300_000,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`seer_torch.selftest ${command} failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout) as T);
        } catch {
          reject(new Error(`seer_torch.selftest ${command} printed no JSON:\n${stdout.slice(0, 2000)}\n${stderr}`));
        }
      },
    );
    child.stdin?.end(JSON.stringify(input));
  });
}
