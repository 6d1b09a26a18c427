/**
 * Throughput of the data pipeline at the quickstart settings: synthetic 32 px images (4K,
 * train split 80%), crops 2×32 px (scale 0.3..1) + 2×16 px (0.1..0.3), batch 128.
 * Reports crops/s for a cold epoch (images generated) and a warm one (from the workers'
 * cache), with 1 worker and with the default count, and the in-process cost per image.
 *
 *   node scripts/build.mjs --tests && node build/bench/data-pipeline.js [--epochs N] [--step-ms MS] [--workers 1,2]
 */
import { Augmenter, type CropSpec } from "../runtime/data/augment.js";
import { DataLoader, defaultWorkers } from "../runtime/data/loader.js";
import { derive } from "../runtime/data/rng.js";
import { syntheticSource } from "../runtime/data/source.js";
import { splitByCount } from "../runtime/data/splits.js";
import { syntheticParams, syntheticSample } from "../runtime/data/synthetic.js";

const PARAMS = syntheticParams({ images: 4000, size: 32, classes: 10, groups: 4, seed: 1 });
const CROPS: CropSpec[] = [{ count: 2, size: 32, scale: [0.3, 1] }, { count: 2, size: 16, scale: [0.1, 0.3] }];
const BATCH = 128;
const train = splitByCount(PARAMS.images, [["train", 0.8], ["test", 0.2]], PARAMS.seed)["train"]!;

function inProcess(): { genMs: number; augMs: number } {
  const n = 1000;
  let t = performance.now();
  const imgs = Array.from({ length: n }, (_, i) => syntheticSample(PARAMS, i).pixels);
  const genMs = (performance.now() - t) / n;
  const aug = new Augmenter();
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
  const loader = await DataLoader.create({ source: syntheticSource(PARAMS), subset: train, batch: BATCH, seed: 0, workers, transform: { kind: "multicrop", crops: CROPS } });
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
  console.log(`data pipeline, quickstart settings (synthetic 32 px, crops 2x32 + 2x16, batch ${BATCH}, ${train.length} train images)`);
  console.log(`  in-process: generate ${genMs.toFixed(3)} ms/image, augment ${augMs.toFixed(3)} ms/image (4 crops) -> ${(4000 / augMs).toFixed(0)} crops/s on one thread`);
  const w = process.argv.indexOf("--workers");
  const counts = w >= 0 ? process.argv[w + 1]!.split(",").map(Number) : [...new Set([1, defaultWorkers()])];
  for (const w of counts) await run(w, epochs, 0);
  const j = process.argv.indexOf("--step-ms");
  const stepMs = j >= 0 ? Number(process.argv[j + 1]) : 40;
  if (stepMs > 0) await run(defaultWorkers(), 2, stepMs);
  console.log(`  default workers = ${defaultWorkers()} (os.availableParallelism() ${(await import("node:os")).availableParallelism()} - 1)`);
}

await main();
