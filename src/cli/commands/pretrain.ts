/** `seer pretrain RECIPE NAME`: one SwAV pretraining with checkpoints; rerun to resume. */
import path from "node:path";
import { EXIT, UsageError } from "../errors.js";
import { emitDiagnostics, type ColorMode } from "../output.js";
import { compileOrReport } from "../compile-recipe.js";
import { bundledWorkerUrl, dataDiagnostic, datasetRef, findDecl, refTarget } from "./job.js";

export interface PretrainCliOptions {
  out?: string;
  set: string[];
  backend?: string;
  workers?: string;
  json?: boolean;
  color: ColorMode;
}

export async function runPretrain(file: string, name: string, opts: PretrainCliOptions): Promise<number> {
  if (opts.workers !== undefined && !(Number.isInteger(Number(opts.workers)) && Number(opts.workers) >= 1)) {
    throw new UsageError(`\`--workers ${opts.workers}\` is not a positive whole number.`);
  }
  const c = compileOrReport([file], opts.set, opts.color);
  if (typeof c === "number") return c;
  const d = findDecl(c, name, "pretrain");
  const model = refTarget(c, d, "/model");
  const outDir = path.resolve(opts.out ?? path.join(".seer", "pretrain", name));
  const { pretrain } = await import("../../../runtime/train/pretrain.js");
  const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${name}: ${line}\n`);
  const workerUrl = bundledWorkerUrl();
  const data = datasetRef(c, d, "/data");
  let result;
  try {
    result = await pretrain({
      name,
      swav: d.value as never,
      model: model.value,
      data,
      outDir,
      log,
      ...(opts.backend ? { backend: opts.backend } : {}),
      ...(opts.workers ? { workers: Number(opts.workers) } : {}),
      ...(workerUrl ? { workerUrl } : {}),
    });
  } catch (e) {
    const diag = dataDiagnostic(refTarget(c, d, "/data"), e);
    if (!diag) throw e;
    emitDiagnostics([diag], c.program.files, 1, { format: "text", color: opts.color });
    return EXIT.runtime;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    log(`done: ${result.steps} steps, final loss ${result.finalLoss.toFixed(4)}, ${result.imagesPerSecond.toFixed(1)} images/s, data wait ${(100 * result.dataWaitFraction).toFixed(1)}%`);
    log(`weights: ${path.relative(process.cwd(), result.weightsFile)} (sha256 ${result.weightsSha256.slice(0, 16)}...)`);
  }
  return EXIT.ok;
}
