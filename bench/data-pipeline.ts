/**
 * Throughput of the data pipeline at the quickstart's settings, read from
 * recipes/quickstart.seer: its pretraining's dataset (synthetic 32 px images, train split),
 * crop groups, augmentation and batch. Reports crops/s for a cold epoch (images generated) and
 * a warm one (from the workers' cache), with 1 worker and with the default count, and the
 * in-process cost per image.
 *
 *   node scripts/build.mjs --tests && node build/bench/data-pipeline.js [--epochs N] [--step-ms MS] [--workers 1,2]
 */
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { lowerRecipe } from "../compiler/lower/lower.js";
import { Augmenter } from "../runtime/data/augment.js";
import { DataLoader, defaultWorkers } from "../runtime/data/loader.js";
import { cropsFromSpec, openDataset, splitIndices } from "../runtime/data/open.js";
import { derive } from "../runtime/data/rng.js";
import { dataStageRef } from "../runtime/exec/executors/data-ref.js";
import { syntheticSource } from "../runtime/data/source.js";
import { syntheticSample } from "../runtime/data/synthetic.js";
import { augmentFromSpec } from "../runtime/train/pretrain.js";
import { isKind } from "../contract/graph.js";
import { QUICKSTART } from "./paths.js";

const compiled = compile([QUICKSTART]);
const graph = lowerRecipe(compiled, compiled.program.roots[0]!, "bench");
const pre = graph.stages.find((s) => isKind(s, "pretrain-swav"));
const dataStage = graph.stages.find((s) => s.name === pre?.spec.data.stage);
if (!pre || !dataStage || !isKind(dataStage, "prepare-data")) throw new Error("the quickstart has no pretraining on a dataset");
const swav = pre.spec;
const data = dataStageRef(path.dirname(QUICKSTART), dataStage);
const opened = await openDataset(data.spec, { baseDir: data.baseDir, verify: false });
if (opened.kind !== "synthetic") throw new Error(`the quickstart's pretraining data is ${opened.kind}, this bench expects synthetic images`);
const PARAMS = opened.params;
const CROPS = cropsFromSpec(swav.crops);
const AUGMENT = augmentFromSpec(swav.augment);
const BATCH = swav.batch;
const CROPS_PER_IMAGE = CROPS.reduce((n, g) => n + g.count, 0);
const CROPS_TEXT = CROPS.map((g) => `${g.count}x${g.size}`).join(" + ");
const train = splitIndices(opened, "train")!;

function inProcess(): { genMs: number; augMs: number } {
  const n = 1000;
  let t = performance.now();
  const imgs = Array.from({ length: n }, (_, i) => syntheticSample(PARAMS, i).pixels);
  const genMs = (performance.now() - t) / n;
  const aug = new Augmenter(AUGMENT);
  const out = new Float32Array(32 * 32 * 3);
  t = performance.now();
  imgs.forEach((data, i) => {
    let v = 0;
    for (const g of CROPS) for (let c = 0; c < g.count; c++) aug.crop({ width: 32, height: 32, data }, g.size, g.scale, derive(0, 1, i, v++), out, 0);
  });
  return { genMs, augMs: (performance.now() - t) / n };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Epochs through the loader; `stepMs` simulates the trainer's time per batch (off this thread, like a GPU step). */
async function run(workers: number, epochs: number, stepMs: number): Promise<void> {
  const t0 = performance.now();
  const loader = await DataLoader.create({ source: syntheticSource(PARAMS), subset: train, batch: BATCH, seed: 0, workers, transform: { kind: "multicrop", crops: CROPS, augment: AUGMENT } });
  const startMs = performance.now() - t0;
  try {
    for (let e = 0; e < epochs; e++) {
      loader.resetStats();
      const t = performance.now();
      for await (const b of loader.batches({ epoch: e })) if (stepMs > 0 && b) await sleep(stepMs);
      const s = loader.stats();
      const secs = (performance.now() - t) / 1000;
      console.log(
        `  workers=${workers} epoch ${e} (${e === 0 ? "cold: generate + augment" : "warm: augment from cache"}): ` +
          `${(s.crops / secs).toFixed(0)} crops/s, ${(s.images / secs).toFixed(0)} images/s, ${s.batches} batches in ${secs.toFixed(2)} s, ` +
          `consumer waited ${(100 * s.waitFraction).toFixed(0)}% of the time` + (stepMs ? ` (with a simulated ${stepMs} ms training step per batch)` : " (no training work in the loop)"),
      );
    }
  } finally {
    await loader.close();
  }
  console.log(`  (pool start ${startMs.toFixed(0)} ms)`);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--epochs");
  const epochs = i >= 0 ? Number(process.argv[i + 1]) : 2;
  const { genMs, augMs } = inProcess();
  console.log(`data pipeline, quickstart settings (synthetic ${PARAMS.size} px, crops ${CROPS_TEXT}, batch ${BATCH}, ${train.length} train images)`);
  console.log(`  in-process: generate ${genMs.toFixed(3)} ms/image, augment ${augMs.toFixed(3)} ms/image (${CROPS_PER_IMAGE} crops) -> ${((1000 * CROPS_PER_IMAGE) / augMs).toFixed(0)} crops/s on one thread`);
  const w = process.argv.indexOf("--workers");
  const counts = w >= 0 ? process.argv[w + 1]!.split(",").map(Number) : [...new Set([1, defaultWorkers()])];
  for (const w of counts) await run(w, epochs, 0);
  const j = process.argv.indexOf("--step-ms");
  const stepMs = j >= 0 ? Number(process.argv[j + 1]) : 40;
  if (stepMs > 0) await run(defaultWorkers(), 2, stepMs);
  console.log(`  default workers = ${defaultWorkers()} (os.availableParallelism() ${(await import("node:os")).availableParallelism()} - 1)`);
}

await main();
