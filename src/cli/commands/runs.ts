/** `seer runs [--dir runs] [--json]`: the recorded runs, newest first. */
import { existsSync } from "node:fs";
import { EXIT, UsageError } from "../errors.js";

export interface RunsOptions {
  dir?: string;
  json?: boolean;
}

export async function runRuns(opts: RunsOptions): Promise<number> {
  const dir = opts.dir ?? "runs";
  if (opts.dir !== undefined && !existsSync(dir)) throw new UsageError(`No such runs directory: ${dir}`);
  // Loaded lazily: ajv and yaml are not needed by the other commands.
  const { listRuns, renderRuns } = await import("../../../runtime/records/index.js");
  const runs = listRuns(dir);
  if (opts.json) process.stdout.write(`${JSON.stringify({ version: 1, runs }, null, 2)}\n`);
  else process.stdout.write(runs.length > 0 ? renderRuns(runs) : `No runs in \`${dir}\`.\n`);
  return EXIT.ok;
}
