// Debug: supervised training of the quickstart RegNet on the synthetic shapes (cross-entropy).
import { selectBackend } from "../runtime/backend/select.js";
import { DataLoader } from "../runtime/data/loader.js";
import { syntheticSource } from "../runtime/data/source.js";
import { buildRegNet } from "../runtime/tfjs/regnet.js";
import { archFromSpec } from "../runtime/tfjs/regnet-arch.js";
import { modelSpecFromParams } from "../compiler/regnet/model-spec.js";
import { Sgd } from "../runtime/optim/sgd.js";

const { tf } = await selectBackend({ backend: "wasm" });
tf.enableProdMode();
const SIZE = Number(process.env["SIZE"] ?? 32);
const params = { kind: "shapes" as const, images: 4000, size: SIZE, classes: 10, groups: 1, shift: 0, seed: 1 };
const train = Int32Array.from({ length: 3200 }, (_, i) => i);
const test = Int32Array.from({ length: 800 }, (_, i) => 3200 + i);
const net = buildRegNet(tf, archFromSpec(modelSpecFromParams("dev", { family: "Y", depth: 8, w0: 16, wa: 12, wm: 1.8, groupWidth: 8, bottleneck: 1, seRatio: 0.25, stemWidth: 32, ...JSON.parse(process.env["ARCH"] ?? "{}") })), { seed: 0, head: { classes: 10 } });
const vars = new Map(net.variables.filter((v) => v.trainable).map((v) => [v.name, v.variable as never]));
const sgd = new Sgd(vars, { momentum: 0.9, nesterov: false, weightDecay: 5e-4 });
const mk = (subset: Int32Array, shuffle: boolean) => DataLoader.create({ source: syntheticSource(params), subset, batch: 64, seed: 0, shuffle, transform: { kind: "eval", size: SIZE, resizeRatio: 1 }, workers: 1 });
for (let epoch = 0; epoch < Number(process.env["EPOCHS"] ?? 3); epoch++) {
  const l = await mk(train, true);
  let sum = 0, n = 0;
  for await (const b of l.batches({ epoch })) {
    const x = tf.tensor4d(b.crops[0]!, [b.size, SIZE, SIZE, 3]);
    const y = tf.oneHot(tf.tensor1d(b.labels, "int32"), 10).toFloat();
    const { value, grads } = tf.variableGrads(() => {
      const logits = net.apply(x, { training: true }).logits!;
      return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1))) as never;
    }, [...vars.values()] as never);
    const named = new Map([...vars].map(([name, v]) => [name, grads[(v as { name: string }).name]!]));
    sgd.apply(named as never, Number(process.env["LR"] ?? 0.05));
    sum += value.dataSync()[0]!; n++;
    tf.dispose([x, y, value, ...Object.values(grads)]);
  }
  await l.close();
  const t = await mk(test, false);
  let right = 0, total = 0;
  for await (const b of t.batches()) {
    const x = tf.tensor4d(b.crops[0]!, [b.size, SIZE, SIZE, 3]);
    const pred = tf.tidy(() => tf.argMax(net.apply(x, { training: false }).logits!, 1).dataSync());
    for (let i = 0; i < b.size; i++) if (pred[i] === b.labels[i]) right++;
    total += b.size;
    x.dispose();
  }
  await t.close();
  console.log(`epoch ${epoch + 1}: train loss ${(sum / n).toFixed(3)}, test top-1 ${((100 * right) / total).toFixed(1)}%`);
}
process.exit(0);
