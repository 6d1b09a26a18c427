/**
 * Prepares the torch engine's GPU check on a CPU machine (the GPU machine has torch but no
 * Node.js): the worker's job files for the pretrainings of bench/gpu/gpu-check.seer and the
 * synthetic images they read, materialised once, into bench/gpu/prepared/. Paths in the jobs are
 * `@PREPARED@` and `@OUT@`, which bench/gpu/check.sh fills in where it runs.
 *
 *   node scripts/build.mjs --tests && node build/bench/gpu/prepare.js
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isKind, type ExecGraph } from "../../contract/graph.js";
import { openDataset } from "../../runtime/data/open.js";
import { writePretrainJob } from "../../runtime/engines/torch/job.js";
import { ROOT, SEER_BIN } from "../paths.js";

const RECIPE = path.join(ROOT, "bench", "gpu", "gpu-check.seer");
const OUT = path.join(ROOT, "bench", "gpu", "prepared");

const graph = JSON.parse(execFileSync(process.execPath, [SEER_BIN, "graph", RECIPE], { encoding: "utf8" })) as ExecGraph;
const data = graph.stages.find((s) => s.kind === "prepare-data");
if (!data || !isKind(data, "prepare-data")) throw new Error("gpu-check.seer has no dataset");
const dataset = await openDataset(data.spec, { baseDir: path.dirname(RECIPE) });
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const names: string[] = [];
for (const stage of graph.stages) {
  if (!isKind(stage, "pretrain-swav")) continue;
  const name = stage.name.replace(/^pretrain\//, "");
  const work = path.join(OUT, name);
  const file = await writePretrainJob(stage, dataset, undefined, work, { threads: 2, loaderWorkers: 12, device: "cuda", rendezvousTimeoutS: 120 });
  const job = JSON.parse(readFileSync(file, "utf8")) as { data: { kind: string; file?: string }; out_dir: string };
  if (job.data.kind === "pixels" && job.data.file) {
    const shared = path.join(OUT, "pixels.u8");
    renameSync(job.data.file, shared);
    job.data.file = "@PREPARED@/pixels.u8";
  }
  job.out_dir = `@OUT@/${name}`;
  rmSync(work, { recursive: true, force: true });
  writeFileSync(path.join(OUT, `${name}.job.json`), `${JSON.stringify(job)}\n`);
  names.push(name);
}
console.log(`prepared ${names.join(", ")} in ${path.relative(ROOT, OUT)}/`);
