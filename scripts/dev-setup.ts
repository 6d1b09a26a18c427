// Shared start of the dev-* investigation scripts: `RECIPE PRETRAIN OUTDIR` from argv, the
// pretraining's stage spec (from the lowered graph) and dataset, and the wasm backend in prod mode.
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { lowerRecipe } from "../compiler/lower/lower.js";
import { isKind, type StageOf } from "../contract/graph.js";
import { selectBackend } from "../runtime/backend/select.js";
import { openDataset, type OpenedDataset } from "../runtime/data/open.js";
import { dataStageRef } from "../runtime/exec/executors/data-ref.js";
import type { DatasetRef } from "../runtime/train/pretrain.js";
import type { Tf } from "../runtime/tfjs/tf.js";

export interface DevSetup {
  /** The pretraining's output folder (holds trunk.seerckpt). */
  out: string;
  stage: StageOf<"pretrain-swav">;
  data: DatasetRef;
  tf: Tf;
  dataset: Exclude<OpenedDataset, { kind: "copy_detection_set" }>;
}

export async function devSetup(): Promise<DevSetup> {
  const [file, name, out] = process.argv.slice(2) as [string, string, string];
  const c = compile([file]);
  const root = c.program.roots[0]!;
  const graph = lowerRecipe(c, root, "dev");
  const stage = graph.stages.find((s) => s.name === `pretrain/${name}`);
  const dataStage = graph.stages.find((s) => s.name === (stage && isKind(stage, "pretrain-swav") ? stage.spec.data.stage : ""));
  if (!stage || !isKind(stage, "pretrain-swav") || !dataStage || !isKind(dataStage, "prepare-data")) throw new Error(`no pretraining ${name} in ${file}`);
  const data = dataStageRef(path.dirname(root.id), dataStage, stage.spec.data.split);
  const { tf } = await selectBackend({ backend: "wasm" });
  tf.enableProdMode();
  const dataset = await openDataset(data.spec, { baseDir: data.baseDir });
  if (dataset.kind === "copy_detection_set") throw new Error("a copy-detection set has no labelled images");
  return { out, stage, data, tf, dataset };
}
