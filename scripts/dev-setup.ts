// Shared start of the dev-* investigation scripts: `RECIPE PRETRAIN OUTDIR` from argv, the
// pretraining's declaration, model and dataset, and the wasm backend in prod mode.
import { compile } from "../compiler/compile.js";
import type { CheckedDecl } from "../compiler/check/checker.js";
import { datasetRef, findDecl, refTarget } from "../src/cli/commands/job.js";
import { selectBackend } from "../runtime/backend/select.js";
import { openDataset, type OpenedDataset } from "../runtime/data/open.js";
import type { Tf } from "../runtime/tfjs/tf.js";

export interface DevSetup {
  /** The pretraining's output folder (holds trunk.seerckpt). */
  out: string;
  decl: CheckedDecl;
  model: CheckedDecl;
  data: ReturnType<typeof datasetRef>;
  tf: Tf;
  dataset: Exclude<OpenedDataset, { kind: "copy_detection_set" }>;
}

export async function devSetup(): Promise<DevSetup> {
  const [file, name, out] = process.argv.slice(2) as [string, string, string];
  const c = compile([file]);
  const decl = findDecl(c, name, "pretrain");
  const model = refTarget(c, decl, "/model");
  const data = datasetRef(c, decl, "/data");
  const { tf } = await selectBackend({ backend: "wasm" });
  tf.enableProdMode();
  const dataset = await openDataset(data.ctor, data.fields, { baseDir: data.baseDir });
  if (dataset.kind === "copy_detection_set") throw new Error("a copy-detection set has no labelled images");
  return { out, decl, model, data, tf, dataset };
}
