/**
 * Feature extraction versus training on the quickstart trunk (issue: evaluation suites):
 * images/s of the features stage's path (loader, eval transform, frozen trunk in eval mode,
 * pooling) against images/s of an SGD training step of the same trunk on the same 32 px
 * images (forward, gradients, update; the probe's SwAV head), both on wasm in this process;
 * the trunk's forward alone (no data pipeline); and the linear probe's training time on the
 * extracted features.
 */
import path from "node:path";
import { QUICKSTART } from "./paths.js";
import { compile } from "../compiler/compile.js";
import { lowerRecipe } from "../compiler/lower/lower.js";
import { isKind, type StageKind, type StageOf } from "../contract/graph.js";
import { selectBackend } from "../runtime/backend/select.js";
import { openDataset } from "../runtime/data/open.js";
import { extractBatch } from "../runtime/eval/extract.js";
import { extractSplit, type SplitFeatures } from "../runtime/eval/features-job.js";
import { linearEval } from "../runtime/eval/protocols.js";
import { probeConfig } from "../runtime/exec/executors/evals.js";
import { archFromSpec } from "../runtime/tfjs/regnet-arch.js";
import { buildRegNet } from "../runtime/tfjs/regnet.js";
import type { Tensor4D } from "../runtime/tfjs/tf.js";
import { median } from "./stats.js";
import { timeTrainSteps } from "./train-step.js";


/** The quickstart's graph: its `tiny` trunk, its `shapes` data and its linear probe's settings. */
function quickstart() {
  const c = compile([QUICKSTART]);
  const g = lowerRecipe(c, c.program.roots[0]!, "bench");
  const find = <K extends StageKind>(name: string, kind: K): StageOf<K> => {
    const s = g.stages.find((x) => x.name === name);
    if (!s || !isKind(s, kind)) throw new Error(`recipes/quickstart.seer has no ${kind} stage ${name}`);
    return s;
  };
  const model = find("random-init/tiny", "random-init").spec.model;
  const data = find("data/shapes", "prepare-data").spec;
  const linear = find("eval/quickstart/random_init(tiny).pool/linear", "linear-eval").spec.probe;
  return { model, data, linear };
}

export async function benchEvals(rounds = 3): Promise<Record<string, number>> {
  const { tf } = await selectBackend({ backend: "wasm" });
  const q = quickstart();
  const arch = archFromSpec(q.model);
  const ds = await openDataset(q.data, { baseDir: path.dirname(QUICKSTART), verify: false });
  if (ds.kind === "copy_detection_set") throw new Error("the quickstart's data is not labelled");
  if (q.data.kind !== "synthetic") throw new Error("the quickstart's data is not synthetic");
  const size = q.data.size;
  const batch = 128;
  const net = buildRegNet(tf, arch, { seed: 0 });
  const x = tf.randomNormal([batch, size, size, 3], 0, 1, "float32", 7) as Tensor4D;
  try {
    const test = await extractSplit({ tf, net, dataset: ds, split: "test", tap: "pool", size, batch }); // also the warm-up
    // Rounds alternate the three measurements: this shared machine drifts over minutes.
    const trainMs: number[] = [], forward: number[] = [], extract: number[] = [];
    let f: SplitFeatures | undefined;
    for (let r = 0; r < rounds; r++) {
      // Training: same trunk, same image size, same batch.
      trainMs.push(timeTrainSteps(tf, arch, { batch, input: size, steps: 6, warmup: 2, loss: "swav" }).medianStepMs);
      // The trunk alone (no data pipeline): forward in eval mode on one batch, repeated for about 2 s.
      let forwarded = 0;
      const f0 = performance.now();
      while (performance.now() - f0 < 2000) forwarded += (await extractBatch(tf, net, x, "pool")).n;
      forward.push(forwarded / ((performance.now() - f0) / 1000));
      // What the features stage does: loader with one worker, eval transform, forward, pooling.
      const t0 = performance.now();
      f = await extractSplit({ tf, net, dataset: ds, split: "train", tap: "pool", size, batch });
      extract.push(f.n / ((performance.now() - t0) / 1000));
    }
    const p0 = performance.now();
    linearEval("linear", f!, test, probeConfig(q.linear, ds.classes?.length ?? 10)).probe.dispose();
    const probeSeconds = (performance.now() - p0) / 1000;
    const trainRate = (batch / median(trainMs)) * 1000;
    return {
      images: f!.n,
      dim: f!.dim,
      trainStepMs: median(trainMs),
      trainRate,
      forwardRate: median(forward),
      forwardRatio: median(forward) / trainRate,
      extractRate: median(extract),
      ratio: median(extract) / trainRate,
      probeSeconds,
      probeEpochs: q.linear.epochs,
    };
  } finally {
    x.dispose();
    net.dispose();
  }
}
