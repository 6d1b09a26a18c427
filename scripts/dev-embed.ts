// Debug: mean pairwise cosine of SwAV embeddings (and of trunk features) of real images.
//   node build/scripts/dev-embed.js RECIPE PRETRAIN OUTDIR
import path from "node:path";
import { devSetup } from "./dev-setup.js";
import { extractSplit } from "../runtime/eval/features-job.js";
import { SwavHead } from "../runtime/ssl/head.js";
import { archFromSpec } from "../runtime/tfjs/regnet-arch.js";
import { buildRegNet } from "../runtime/tfjs/regnet.js";
import { loadLatestCheckpoint } from "../runtime/train/checkpoint.js";
import { loadTrunkWeights } from "../runtime/train/weights.js";

const { out, stage, tf, dataset } = await devSetup();
const net = buildRegNet(tf, archFromSpec(stage.spec.model), { seed: 0 });
const INIT = process.env["INIT"] === "1";
if (!INIT) loadTrunkWeights(tf, net, path.join(out, "trunk.seerckpt"));
const feats = await extractSplit({ tf, net, dataset, split: "test", tap: "pool", size: 32 });
const head = stage.spec.head;
const h = new SwavHead({ inputDim: feats.dim, dims: head.dims, batchNorm: head.batch_norm, prototypes: stage.spec.prototypes, seed: 0 });
const { checkpoint: ck } = loadLatestCheckpoint(path.join(out, "checkpoints"));
if (!ck && !INIT) throw new Error(`no intact checkpoint in ${path.join(out, "checkpoints")}`);
if (!INIT) for (const [n, v] of [...h.params, ...h.buffers]) v.assign(tf.tensor(ck!.tensors.get(`head/${n}`)!.data, v.shape));
const meanCos = (x: Float32Array, n: number, dim: number) => {
  const norm = (i: number) => Math.hypot(...x.subarray(i * dim, (i + 1) * dim));
  let s = 0, m = 0;
  for (let i = 0; i < Math.min(n, 200); i++) for (let j = i + 1; j < Math.min(n, 200); j++) {
    let dot = 0; for (let k = 0; k < dim; k++) dot += x[i * dim + k]! * x[j * dim + k]!;
    s += dot / (norm(i) * norm(j) + 1e-12); m++;
  }
  return s / m;
};
console.log("trunk pool features: mean pairwise cosine", meanCos(feats.data, feats.n, feats.dim).toFixed(4));
const z = h.embed(tf.tensor2d(feats.data, [feats.n, feats.dim]), INIT);
const zd = z.dataSync() as Float32Array;
console.log("embeddings z: mean pairwise cosine", meanCos(zd, feats.n, z.shape[1]).toFixed(4));
const s = tf.matMul(z, h.prototypes, false, true);
const p = tf.softmax(tf.div(s, 0.1));
console.log("max prob per sample (mean):", (tf.mean(tf.max(p, 1)).dataSync()[0]!).toFixed(4), "uniform would be", (1 / h.prototypes.shape[0]).toFixed(4));
process.exit(0);
