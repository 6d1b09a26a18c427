/** Runs the real `seer` binary (bin/seer.js -> dist/cli.js) as a user would. */
import { spawnSync } from "node:child_process";
import { SEER_BIN } from "./paths.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function seer(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string; timeout?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [SEER_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...opts.env },
    encoding: "utf8",
    input: opts.input ?? "",
    timeout: opts.timeout ?? 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
