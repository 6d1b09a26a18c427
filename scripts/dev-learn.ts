// Experiment: linear probe on pretrained vs random-init features of a pretraining's trunk.
//   node build/scripts/dev-learn.js RECIPE PRETRAIN OUTDIR
import path from "node:path";
import { devSetup } from "./dev-setup.js";
import { extractSplit } from "../runtime/eval/features-job.js";
import { LinearProbe } from "../runtime/eval/linear-probe.js";
import { topKAccuracy } from "../runtime/eval/metrics.js";
import { knnEval } from "../runtime/eval/protocols.js";
import { archFromSpec } from "../runtime/tfjs/regnet-arch.js";
import { buildRegNet } from "../runtime/tfjs/regnet.js";
import { loadTrunkWeights } from "../runtime/train/weights.js";

const { out, stage, data, tf, dataset } = await devSetup();
if (data.spec.kind !== "synthetic") throw new Error("dev-learn reads a synthetic dataset");
const { size, classes } = data.spec;
for (const which of ["pretrained", "random"]) {
  const net = buildRegNet(tf, archFromSpec(stage.spec.model), { seed: 0 });
  if (which === "pretrained") loadTrunkWeights(tf, net, path.join(out, "trunk.seerckpt"));
  const t0 = performance.now();
  const train = await extractSplit({ tf, net, dataset, split: "train", tap: "pool", size });
  const test = await extractSplit({ tf, net, dataset, split: "test", tap: "pool", size });
  const t1 = performance.now();
  if (process.env["SHUFFLE"] === "1") train.labels.reverse(); // decouple labels from images
  const probe = new LinearProbe(train.dim, classes, 0);
  probe.train(train, train.labels, { classes, epochs: Number(process.env["PROBE_EPOCHS"] ?? 20), batch: 256, optimizer: { lr: { resolved: Number.NaN, value: Number(process.env["PROBE_LR"] ?? 0.01), per_images: 256 }, momentum: 0.9, nesterov: true, weight_decay: 5e-4 }, schedule: { kind: "multistep", milestones: [{ value: 0.2857, unit: "run_fraction" }, { value: 0.5714, unit: "run_fraction" }, { value: 0.8571, unit: "run_fraction" }], gamma: 0.1, warmup: { value: 0, unit: "steps" } }, seed: 0 });
  const acc = topKAccuracy(probe.predict(test), test.labels, 1);
  const knn = knnEval("knn", train, test, { k: 20, temperature: 0.07, classes });
  console.log(`${which}: knn top-1 ${knn["knn.top1"]!.toFixed(1)}%, linear top-1 ${acc.toFixed(1)}%  (extract ${(train.n + test.n)} images in ${((t1 - t0) / 1000).toFixed(1)} s, probe ${((performance.now() - t1) / 1000).toFixed(1)} s)`);
  probe.dispose();
  net.dispose();
}
process.exit(0);
