// Debug: SwAV with an identity trunk on fixed, well-separated features (two noisy views of
// each point). A correct head/loss/optimiser must not collapse here.
import { selectBackend } from "../runtime/backend/select.js";
import { swavRunFromRecipe } from "../runtime/ssl/setup.js";
import { swavStep } from "../runtime/ssl/swav-step.js";

const { tf } = await selectBackend({ backend: "wasm" });
tf.enableProdMode();
const F = 32, N = 1024, B = 128, CLUSTERS = 16;
const centers = Array.from({ length: CLUSTERS }, (_, c) => Array.from({ length: F }, (_, j) => Math.sin(c * 97.1 + j * 13.7) * 2));
const feats = new Float32Array(N * F);
for (let i = 0; i < N; i++) for (let j = 0; j < F; j++) feats[i * F + j] = centers[i % CLUSTERS]![j]! + Math.sin(i * 7.3 + j * 1.9) * 0.3;
const optimizer = process.env["OPT"] === "sgd" ? { $ctor: "sgd" as const, lr: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0 } : { $ctor: "lars" as const, lr: 0.3, momentum: 0.9, weight_decay: 1e-6, trust: 0.001, exclude_bn_bias: true };
const recipe = {
  crops: [{ count: 2, size: { value: 1 }, scale: { from: 1, to: 1 } }],
  head: { dims: [64, 32], batch_norm: process.env["BN"] !== "0" },
  prototypes: 32, temperature: 0.1, sinkhorn: { iterations: 3, epsilon: 0.05 },
  queue: { length: 0, start: { value: 0, unit: "steps" as const } },
  freeze_prototypes: { value: 10, unit: "steps" as const },
  optimizer,
  schedule: { $ctor: "constant" as const, warmup: { value: 0, unit: "steps" as const } },
  batch: { value: B }, duration: { value: 300, unit: "steps" as const }, seed: 0,
};
const trunk = (x: import("@tensorflow/tfjs").Tensor4D) => tf.reshape(x, [x.shape[0], F]) as import("@tensorflow/tfjs").Tensor2D;
const run = swavRunFromRecipe(recipe as never, { trunk, params: new Map(), featureDim: F, stepsPerEpoch: N / B });
for (let step = 0; step < 300; step++) {
  const off = ((step * B) % N) * F;
  const base = feats.subarray(off, off + B * F);
  const views = [0, 1].map((v) => tf.tensor4d(base.map((x, k) => x + Math.sin(k * 3.1 + v * 11 + step) * 0.1), [B, 1, 1, F]));
  const r = swavStep(run.setup, views, step);
  tf.dispose(views);
  if (step % 30 === 0 || step === 299) console.log(step, r.loss.toFixed(4), "lr", r.lr.toFixed(3));
}
process.exit(0);
