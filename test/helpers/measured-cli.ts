/** The real `seer` (like cli.ts), with its wall time and peak resident memory measured. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CliResult } from "./cli.js";
import { SEER_BIN } from "./paths.js";

export interface MeasuredRun extends CliResult {
  seconds: number;
  /** Peak resident memory in MiB; undefined when the process died before it could say (a crash). */
  rssMiB: number | undefined;
}

const PROBE = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "rss-probe.js")).href;

export function measuredSeer(args: string[], opts: { cwd?: string; timeout?: number } = {}): MeasuredRun {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-rss-"));
  const rssFile = path.join(dir, "rss");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", PROBE, SEER_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", SEER_TEST_RSS_FILE: rssFile },
    encoding: "utf8",
    input: "",
    timeout: opts.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - t0) / 1000;
  let rssMiB: number | undefined;
  try {
    rssMiB = Number(readFileSync(rssFile, "utf8")) / 1024;
  } catch {
    rssMiB = undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  // Killed by a signal: the shell's 128 + N (134 for an abort, as when V8 runs out of memory).
  const code = r.status ?? (r.signal ? 128 + constants.signals[r.signal] : -1);
  return { code, stdout: r.stdout, stderr: r.stderr, seconds, rssMiB };
}
