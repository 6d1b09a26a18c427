/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run.
 * `npm run bench -- --only evals,scheduler` runs some of them (engines, frontend, coldstart, evals,
 * scheduler, sweep, quickstart, hosts; the quickstart one runs the whole quickstart once, about 5.5
 * minutes on 2 cores; hosts needs the test servers of scripts/cluster and says "skipped"
 * without them).
 */
import { benchColdStart } from "./coldstart.js";
import { benchEngines } from "./engines.js";
import { benchEvals } from "./evals.js";
import { benchFrontend } from "./frontend.js";
import { benchQuickstart } from "./quickstart.js";
import { benchScheduler } from "./scheduler.js";
import { benchSweep } from "./sweep.js";

const fmt = (n: number, d = 1) => n.toFixed(d);

const BENCHES: Record<string, () => void | Promise<void>> = {
  engines() {
    const e = benchEngines();
    if (!e) {
      console.log("engines: skipped (no Python with torch: install python3-torch or set SEER_PYTHON)");
      return;
    }
    const r = e.reference, q = e.quickstart;
    console.log("engines (medians of 2 alternating rounds, same machine, same run):");
    console.log(`  reference network step (RegNetY-200MF, 2x32 px crops, batch 128): wasm ${fmt(r.wasm.stepImagesPerSecond, 0)} img/s, torch ${fmt(r.torch.stepImagesPerSecond, 0)} img/s  ratio ${fmt(r.torch.stepImagesPerSecond / r.wasm.stepImagesPerSecond, 2)}x`);
    console.log(`  quickstart pretraining, 200 steps: wasm ${fmt(q.wasm.seconds)} s (${fmt(q.wasm.imagesPerSecond, 0)} img/s), torch ${fmt(q.torch.seconds)} s (${fmt(q.torch.imagesPerSecond, 0)} img/s)  ratio ${fmt(q.wasm.seconds / q.torch.seconds, 2)}x faster on torch  (goal >= 2x)`);
    console.log(`  torch, 1 vs 2 ranks on this host: ${fmt(q.torch.seconds)} s vs ${fmt(q.torch2.seconds)} s (${fmt(q.torch2.imagesPerSecond, 0)} img/s)  ratio ${fmt(q.torch.seconds / q.torch2.seconds, 2)}x`);
    if (e.bare) console.log(`  torch engine's SwAV step vs a bare PyTorch loop, same network and crops: ${fmt(e.bare.seerMs)} vs ${fmt(e.bare.bareMs)} ms/step  ratio ${fmt(e.bare.ratio, 3)}  (goal <= 1.10)`);
  },
  frontend() {
    const fe = benchFrontend();
    console.log(`front end: ${fe["lines"]} lines (${fmt(fe["seerBytes"]! / 1024, 0)} KiB seer, ${fmt(fe["yamlBytes"]! / 1024, 0)} KiB YAML)`);
    console.log(`  seer parse+resolve+check  ${fmt(fe["seerMs"]!)} ms  ${fmt(fe["seerMBps"]!, 2)} MB/s`);
    console.log(`  yaml.parse (same content) ${fmt(fe["yamlMs"]!)} ms  ${fmt(fe["yamlMBps"]!, 2)} MB/s`);
    console.log(`  ratio (seer per byte / yaml per byte): ${fmt(fe["ratio"]!, 2)}x  (goal >= 1.0)`);
  },
  coldstart() {
    const cs = benchColdStart();
    console.log(`cold start: node -e 0 ${fmt(cs["nodeMs"]!)} ms, seer check recipes/quickstart.seer ${fmt(cs["seerMs"]!)} ms`);
    console.log(`  ratio: ${fmt(cs["ratio"]!, 2)}x bare node  (goal < 3x)`);
  },
  async evals() {
    const e = await benchEvals();
    console.log(`features vs training, quickstart trunk \`tiny\` on wasm, 32 px images, batch 128 (medians of 3 alternating rounds):`);
    console.log(`  baseline: training step (forward + gradients + SGD update, SwAV head) ${fmt(e["trainStepMs"]!)} ms/step, ${fmt(e["trainRate"]!, 0)} img/s`);
    console.log(`  trunk forward only (eval mode, pool tap, no data pipeline): ${fmt(e["forwardRate"]!, 0)} img/s  ratio ${fmt(e["forwardRatio"]!, 2)}x training  (goal >= 3x)`);
    console.log(`  features stage path (loader, 1 worker, eval transform, forward) on ${e["images"]} images: ${fmt(e["extractRate"]!, 0)} img/s  ratio ${fmt(e["ratio"]!, 2)}x training  (goal >= 3x)`);
    console.log(`  linear probe on those ${e["images"]} x ${e["dim"]} features (${e["probeEpochs"]} epochs, the quickstart's): ${fmt(e["probeSeconds"]!, 2)} s`);
  },
  async scheduler() {
    const s = await benchScheduler();
    console.log(`scheduler: ${s["stages"]} trivial stages (20 layers x 10, 2 inputs each), real store (manifest, sha256, fsync, rename):`);
    console.log(`  baseline: the executors' own work (a folder and a file per stage) ${fmt(s["bareMs"]!)} ms`);
    console.log(`  runPlan --jobs 1: ${fmt(s["ranMs"]!)} ms, ${fmt(s["perStageMs"]!, 2)} ms/stage overhead (${fmt(s["ratio"]!, 1)}x the baseline)  (goal < 20 ms/stage)`);
    console.log(`  runPlan --jobs 4: ${fmt(s["parallelMs"]!)} ms, ${fmt(s["perStageParallelMs"]!, 2)} ms/stage overhead; all cached: ${fmt(s["cachedMs"]!, 2)} ms, ${fmt(s["perStageCachedMs"]!, 4)} ms/stage`);
  },
  sweep() {
    const s = benchSweep();
    console.log(`seer plan on a generated sweep: ${s["stages"]} stages from ${s["lines"]} lines`);
    console.log(`  baseline: seer check of the same recipe ${fmt(s["checkMs"]!, 0)} ms`);
    console.log(`  seer plan: ${fmt(s["planMs"]!, 0)} ms  ratio ${fmt(s["ratio"]!, 2)}x check  (goal < 1000 ms)`);
  },
  quickstart() {
    const q = benchQuickstart();
    console.log(`quickstart: first seer run ${fmt(q["firstSeconds"]!)} s (${q["stages"]} stages; pretraining ${fmt(q["pretrainSeconds"]!)} s, suite = features + evals ${fmt(q["suiteSeconds"]!)} s)`);
    console.log(`  features stages ${fmt(q["featuresRate"]!, 0)} img/s (${q["featureImages"]} images in ${q["featureStages"]} stages, ${fmt(q["featuresSeconds"]!, 1)} s) vs pretraining ${fmt(q["pretrainRate"]!, 0)} img/s (multi-crop SwAV): ${fmt(q["featuresRate"]! / q["pretrainRate"]!, 2)}x  (goal >= 3x)`);
    console.log(`  probe stages (linear, fairness, robustness; they share one trained probe per row) ${fmt(q["probeSeconds"]!, 2)} s = ${fmt(100 * q["probeFraction"]!)}% of the suite  (goal < 10%)`);
    console.log(`  baseline: seer check quickstart.seer ${fmt(q["checkMs"]!, 0)} ms`);
    console.log(`  fully cached rerun: ${fmt(q["cachedMs"]!, 0)} ms  ratio ${fmt(q["ratio"]!, 2)}x check  (goal < 2000 ms)`);
  },
  async hosts() {
    const { benchHosts } = await import("./hosts.js");
    await benchHosts((line) => console.log(line));
  },
};

const i = process.argv.indexOf("--only");
const only = i >= 0 ? (process.argv[i + 1] ?? "").split(",") : Object.keys(BENCHES);
for (const name of only) {
  const b = BENCHES[name];
  if (!b) {
    console.error(`unknown benchmark ${name} (have ${Object.keys(BENCHES).join(", ")})`);
    process.exit(2);
  }
  await b();
}
process.exit(0); // the wasm runtime can keep the event loop alive
