/**
 * `pretrain-swav`: SwAV pretraining with checkpoints in the stage's work folder (a killed run
 * resumes there), on the tfjs engine or the torch engine (`ctx.engine`). Both write the same
 * files into the work folder (`unreadable.json` too, when images could not be read); this
 * publishes them the same way.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { StageOf } from "../../../contract/graph.js";
import { DataError } from "../../data/errors.js";
import { pretrainOnTorch } from "../../engines/torch/pretrain.js";
import { describeMissing, findTorch, TORCH_INSTALL_HINT, torchPackageDir } from "../../engines/torch/python.js";
import { pretrain, TELEMETRY_LOG, TELEMETRY_SUMMARY } from "../../train/pretrain.js";
import { TELEMETRY_DIR } from "../store.js";
import { stageOf, type StageContext } from "./context.js";
import { rootOf } from "../../data/open.js";
import { readUnreadable } from "../../data/unreadable.js";
import { dataRef, openRef } from "./data-ref.js";
import { publishUnreadable } from "./unreadable.js";
import { TRUNK_FILE } from "./trunk.js";

export const PRETRAIN_METRICS = "metrics.jsonl";

/** What the stage's log says at the end, from either engine. */
interface Outcome {
  steps: number;
  finalLoss: number;
  imagesPerSecond: number;
  dataWaitFraction: number;
  collapsed: boolean;
}

export async function pretrainSwav(ctx: StageContext): Promise<void> {
  const stage = stageOf(ctx, "pretrain-swav");
  const r = ctx.engine.name === "torch" ? await onTorch(ctx, stage) : await onTfjs(ctx, stage);
  if (r === null) return;
  for (const f of [TRUNK_FILE, PRETRAIN_METRICS, "summary.json"]) copyFileSync(path.join(ctx.work, f), path.join(ctx.out, f));
  mkdirSync(path.join(ctx.out, TELEMETRY_DIR), { recursive: true });
  for (const f of [TELEMETRY_LOG, TELEMETRY_SUMMARY]) copyFileSync(path.join(ctx.work, f), path.join(ctx.out, TELEMETRY_DIR, f));
  const unreadable = readUnreadable(ctx.work);
  if (unreadable) publishUnreadable(ctx, unreadable, rootOf(await openRef(dataRef(ctx, stage.spec.data))));
  ctx.log(`${r.steps} steps, final loss ${r.finalLoss.toFixed(4)}, ${r.imagesPerSecond.toFixed(0)} images/s, data wait ${(100 * r.dataWaitFraction).toFixed(1)}%${r.collapsed ? " (collapse warning)" : ""}`);
}

function onTfjs(ctx: StageContext, stage: StageOf<"pretrain-swav">): Promise<Outcome> {
  return pretrain({
    name: stage.name,
    swav: stage.spec,
    data: dataRef(ctx, stage.spec.data),
    outDir: ctx.work,
    backend: ctx.backend.name,
    log: (line) => ctx.log(line),
    onStep: (step, total) => ctx.progress(step / total, `step ${step}/${total}`),
    signal: ctx.signal,
    ...(ctx.workerUrl ? { workerUrl: ctx.workerUrl } : {}),
  });
}

/** The torch engine's run; null on a node other than 0 of a process group across hosts (it has nothing to publish). */
async function onTorch(ctx: StageContext, stage: StageOf<"pretrain-swav">): Promise<Outcome | null> {
  const ref = dataRef(ctx, stage.spec.data);
  const dataset = await openRef(ref);
  const probe = await findTorch(ctx.engine.python !== undefined ? { python: ctx.engine.python } : {});
  if (!probe.found) throw new DataError("bad-options", `the torch engine needs a Python with torch 1.13 or newer on this host, and none was found (tried ${describeMissing(probe.missing)}); ${TORCH_INSTALL_HINT}`);
  const python = probe.probe.python;
  const gpus = probe.probe.cuda !== null ? probe.probe.devices.length : 0;
  const group = ctx.engine.group;
  const slurm = group ? null : slurmTasks();
  const perNode = slurm?.perNode ?? ctx.engine.procs ?? (gpus > 0 ? Math.max(1, Math.min(gpus, stage.resources.gpus)) : 1);
  const ranks = slurm?.tasks ?? perNode;
  if (gpus > 0 && perNode > gpus) throw new DataError("bad-options", `${perNode} ranks on this host, which has ${gpus} GPU(s): one rank per GPU at most`);
  const r = await pretrainOnTorch({
    stage, dataset, split: ref.split, work: ctx.work,
    python, packageDir: torchPackageDir(), ranks, ranksPerNode: perNode, ...(slurm ? { srun: "srun" } : {}), ...(group ? { group } : {}), device: "auto", gpus,
    log: (line) => ctx.log(line), progress: (f, t) => ctx.progress(f, t), signal: ctx.signal,
  });
  if (group && group.node > 0) {
    ctx.log(`node ${group.node} of ${group.nodes}: done (node 0 writes the outputs)`);
    return null;
  }
  const num = (k: string): number => {
    const v = r[k];
    return typeof v === "number" ? v : Number.NaN;
  };
  return { steps: num("steps"), finalLoss: num("finalLoss"), imagesPerSecond: num("imagesPerSecond"), dataWaitFraction: num("dataWaitFraction"), collapsed: r["collapsed"] === true };
}

/** Inside a Slurm allocation of several tasks (a batch job seer submitted with --ntasks-per-node, or the user's salloc): the tasks and tasks per node. */
function slurmTasks(env: NodeJS.ProcessEnv = process.env): { tasks: number; perNode: number } | null {
  const tasks = Number(env["SLURM_NTASKS"]);
  if (env["SLURM_JOB_ID"] === undefined || !Number.isSafeInteger(tasks) || tasks < 2) return null;
  const perNode = Number((env["SLURM_NTASKS_PER_NODE"] ?? "").split("(")[0]);
  return { tasks, perNode: Number.isSafeInteger(perNode) && perNode >= 1 ? perNode : tasks };
}
