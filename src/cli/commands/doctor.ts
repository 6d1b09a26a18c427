/** `seer doctor`: Node, seer, backends (available and chosen), SIMD/threads, GPUs, memory, disk. */
import { EXIT, UsageError } from "../errors.js";
import { SEER_VERSION } from "../version.js";

export interface DoctorCliOptions {
  backend?: string;
  format: string;
}

export async function runDoctor(opts: DoctorCliOptions): Promise<number> {
  if (opts.format !== "text" && opts.format !== "json") throw new UsageError(`Unknown --format \`${opts.format}\`; expected text or json.`);
  // Loaded lazily: only `doctor` and `run` ever load TensorFlow.js.
  const { collectDoctor, formatDoctor } = await import("../../../runtime/backend/doctor.js");
  const report = await collectDoctor(opts.backend ? { backend: opts.backend } : {});
  if (opts.format === "json") process.stdout.write(`${JSON.stringify({ seer: SEER_VERSION, ...report }, null, 2)}\n`);
  else process.stdout.write(`seer ${SEER_VERSION}\n${formatDoctor(report)}`);
  return report.backend ? EXIT.ok : EXIT.runtime;
}
