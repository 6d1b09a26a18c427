/**
 * The PyTorch engine's SwAV and optimisation (engines/torch/seer_torch) against the tfjs
 * engine's (runtime/ssl, runtime/optim) on the same small inputs, tfjs on its cpu backend:
 * Sinkhorn codes, the swapped loss and its gradients, the head's initial values, whole SwAV
 * steps, LARS and SGD updates, and learning-rate schedules.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { OptimizerSpec, PretrainSwavSpec, RateSpec, ScheduleSpec } from "../../contract/specs.js";
import type { RunShape } from "../../runtime/optim/duration.js";
import { Lars, isBatchNormOrBias } from "../../runtime/optim/lars.js";
import type { Optimizer } from "../../runtime/optim/optimizer.js";
import { scheduleFromRecipe } from "../../runtime/optim/schedule.js";
import { Sgd } from "../../runtime/optim/sgd.js";
import { SwavHead } from "../../runtime/ssl/head.js";
import { seededUniform } from "../../runtime/ssl/init.js";
import { codesFor, swappedLoss, type SwappedLossOptions } from "../../runtime/ssl/loss.js";
import { swavRunFromRecipe } from "../../runtime/ssl/setup.js";
import { swavStep } from "../../runtime/ssl/swav-step.js";
import { randomMatrix, tinyTrunk, useBackend } from "../helpers/ssl-tf.js";
import { needTorch, selftest } from "../helpers/torch.js";

/** Max |a − b| over max(1, max |b|). */
function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, "lengths");
  let num = 0;
  let den = 1;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

interface LossCase {
  name: string;
  crops: number;
  batch: number;
  dim: number;
  k: number;
  assign: number[];
  temperature: number;
  sinkhorn: { iterations: number; epsilon: number };
  queueLength: number;
}

const LOSS_CASES: LossCase[] = [
  { name: "4 crops of 3, K 5, 3 iterations, eps 0.05", crops: 4, batch: 3, dim: 4, k: 5, assign: [0, 1], temperature: 0.1, sinkhorn: { iterations: 3, epsilon: 0.05 }, queueLength: 0 },
  { name: "the same with a queue of 6", crops: 4, batch: 3, dim: 4, k: 5, assign: [0, 1], temperature: 0.1, sinkhorn: { iterations: 3, epsilon: 0.05 }, queueLength: 6 },
  { name: "SEER-10B's Sinkhorn (10 iterations, eps 0.03), 2+4 crops of 8, K 64, queue 16", crops: 6, batch: 8, dim: 16, k: 64, assign: [0, 1], temperature: 0.1, sinkhorn: { iterations: 10, epsilon: 0.03 }, queueLength: 16 },
];

interface LossOut {
  loss: number;
  codes: number[][];
  grad_z: number[];
  grad_prototypes: number[];
}

test("Sinkhorn codes, swapped loss and its gradients: torch = tfjs within 1e-5", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  await useBackend("cpu");
  const worst = { codes: 0, loss: 0, grads: 0 };
  for (const [i, c] of LOSS_CASES.entries()) {
    const z = randomMatrix(20 + i, c.crops * c.batch, c.dim, true);
    const protos = randomMatrix(40 + i, c.k, c.dim, true);
    const queue = c.queueLength > 0 ? randomMatrix(60 + i, c.assign.length * c.queueLength, c.dim, true) : null;
    const opts: SwappedLossOptions = { crops: c.crops, assign: c.assign, temperature: c.temperature, sinkhorn: c.sinkhorn };
    const want = tf.tidy(() => {
      const zt = tf.tensor2d(z, [c.crops * c.batch, c.dim]);
      const ct = tf.tensor2d(protos, [c.k, c.dim]);
      const qt = queue ? tf.tensor3d(queue, [c.assign.length, c.queueLength, c.dim]) : null;
      const loss = swappedLoss(zt, ct, opts, qt).dataSync()[0]!;
      const [gz, gc] = tf.grads((a: tf.Tensor, p: tf.Tensor) => swappedLoss(a as tf.Tensor2D, p as tf.Tensor2D, opts, qt))([zt, ct]).map((g) => g.dataSync().slice());
      const scores = tf.matMul(zt, ct, false, true);
      const codes = c.assign.map((a, j) => {
        const qa = qt ? (tf.reshape(tf.slice(qt, [j, 0, 0], [1, c.queueLength, c.dim]), [c.queueLength, c.dim]) as tf.Tensor2D) : null;
        return codesFor(tf.slice(scores as tf.Tensor2D, [a * c.batch, 0], [c.batch, c.k]), ct, qa, c.sinkhorn).dataSync().slice();
      });
      return { loss, gz: gz!, gc: gc!, codes };
    });
    const got = await selftest<LossOut>(py, "loss", { ...c, z: [...z], prototypes: [...protos], queue: queue ? [...queue] : null, queue_length: c.queueLength });
    const errors = {
      codes: Math.max(...want.codes.map((w, j) => maxError(got.codes[j]!, w))),
      loss: maxError([got.loss], [want.loss]),
      grads: Math.max(maxError(got.grad_z, want.gz), maxError(got.grad_prototypes, want.gc)),
    };
    for (const [what, e] of Object.entries(errors)) {
      assert.ok(e < 1e-5, `${c.name}: ${what} differ by ${e.toExponential(2)}`);
      worst[what as keyof typeof worst] = Math.max(worst[what as keyof typeof worst], e);
    }
  }
  t.diagnostic(`worst over ${LOSS_CASES.length} cases: codes ${worst.codes.toExponential(2)}, loss ${worst.loss.toExponential(2)}, gradients ${worst.grads.toExponential(2)}`);
});

test("the SwAV head starts from the tfjs head's values bit for bit, and embeds alike", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  await useBackend("cpu");
  const opts = { inputDim: 12, dims: [16, 8], batchNorm: true, prototypes: 7, seed: 5 };
  const features = randomMatrix(3, 6, opts.inputDim);
  const head = new SwavHead(opts);
  try {
    const got = await selftest<{ params: Record<string, number[]>; z: number[] }>(py, "head", { input_dim: opts.inputDim, dims: opts.dims, batch_norm: opts.batchNorm, prototypes: opts.prototypes, seed: opts.seed, features: [...features] });
    assert.deepEqual(Object.keys(got.params).sort(), [...head.params.keys()].sort());
    for (const [name, v] of head.params) {
      const want = v.dataSync();
      if (name === "prototypes.weight") assert.ok(maxError(got.params[name]!, want) < 1e-7, name);
      else assert.deepEqual(Float32Array.from(got.params[name]!), want, `${name}: not the same bits`);
    }
    const z = tf.tidy(() => head.embed(tf.tensor2d(features, [6, opts.inputDim]), true).dataSync());
    const e = maxError(got.z, z);
    assert.ok(e < 1e-5, `embeddings differ by ${e}`);
    t.diagnostic(`embeddings (training-mode BN) differ by ${e.toExponential(2)}`);
  } finally {
    head.dispose();
  }
});

const CROPS = [
  { count: 2, size: 6 },
  { count: 2, size: 3 },
];
const BATCH = 3;

/** A pretrain-swav spec for the stand-in trunk: queue filled from step 1 (full after step 2, used from step 3), prototypes frozen for 2 steps, LARS, cosine with 2 warmup steps. */
const SPEC: PretrainSwavSpec = {
  model: { name: "unused", family: "Y", stem_width: 8, se_ratio: 0.25, zero_init_residual: false, stages: [{ depth: 1, width: 8, group_width: 8, bottleneck_width: 8 }], generator: { depth: 1, w0: 8, wa: 0, wm: 2, group_width: 8, bottleneck: 1 }, input_size: 6, taps: ["stem", "res2", "pool"] },
  data: { ref: "shapes.train", stage: "data/shapes", split: "train" },
  crops: CROPS.map((c) => ({ ...c, scale: [0.5, 1] as [number, number] })),
  augment: { flip: 0.5, rotate: 0, jitter: 0.8, strength: 1, grayscale: 0.2, blur: 0, blur_sigma: [0.1, 2] },
  head: { dims: [16, 8], batch_norm: true },
  prototypes: 10,
  temperature: 0.1,
  sinkhorn: { iterations: 3, epsilon: 0.05 },
  queue: { length: 2 * BATCH, start: { unit: "steps", value: 1 } },
  freeze_prototypes: { unit: "steps", value: 2 },
  optimizer: { kind: "lars", lr: { resolved: 4.8, value: 4.8 * 256 / BATCH, per_images: 256 }, momentum: 0.9, weight_decay: 1e-4, trust: 0.02, exclude_bn_bias: true },
  schedule: { kind: "cosine", warmup: { unit: "steps", value: 2 }, warmup_from: { resolved: 0.5, value: 0.5, per_images: null }, final_factor: 0.001 },
  batch: BATCH,
  duration: { unit: "epochs", value: 2 },
  precision: "fp32",
  sharding: "none",
  activation_checkpointing: false,
  engine: null,
  seed: 3,
  checkpoint: { every: { unit: "epochs", value: 1 }, keep: 1 },
};
const STEPS_PER_EPOCH = 4;

interface StepOut {
  total_steps: number;
  steps: { loss: number; lr: number; used_queue: boolean; prototypes_frozen: boolean }[];
  params: Record<string, number[]>;
  queue: number[] | null;
}

test("whole SwAV steps from one spec (LARS, cosine warmup, frozen prototypes, queue): torch = tfjs", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  await useBackend("cpu");
  const channels = 3;
  const features = 12;
  const trunk = tinyTrunk(SPEC.seed, channels, features);
  const run = swavRunFromRecipe(SPEC, { trunk: trunk.trunk, params: trunk.params, featureDim: features, stepsPerEpoch: STEPS_PER_EPOCH });
  const trunkWeight = [...trunk.params.get("trunk.conv.weight")!.dataSync()];
  const steps = Array.from({ length: run.totalSteps }, (_, i) =>
    CROPS.flatMap((g, gi) => Array.from({ length: g.count }, (_, c) => ({ shape: [BATCH, g.size, g.size, channels], values: [...seededUniform(100 * i + 10 * gi + c, "crop", BATCH * g.size * g.size * channels, 1)] }))),
  );
  try {
    const want = steps.map((crops, i) => {
      const ts = crops.map((c) => tf.tensor4d(c.values, c.shape as [number, number, number, number]));
      const r = swavStep(run.setup, ts, i);
      tf.dispose(ts);
      return r;
    });
    const got = await selftest<StepOut>(py, "swav-step", { spec: SPEC, steps_per_epoch: STEPS_PER_EPOCH, trunk_weight: trunkWeight, channels, features, steps: steps.map((crops) => ({ crops })) });
    assert.equal(got.total_steps, run.totalSteps);
    let lossError = 0;
    want.forEach((w, i) => {
      const g = got.steps[i]!;
      assert.equal(g.used_queue, w.usedQueue, `step ${i}: queue use`);
      assert.equal(g.prototypes_frozen, w.prototypesFrozen, `step ${i}: frozen prototypes`);
      assert.ok(Math.abs(g.lr - w.lr) <= 1e-12 * Math.abs(w.lr), `step ${i}: lr ${g.lr} vs ${w.lr}`);
      lossError = Math.max(lossError, maxError([g.loss], [w.loss]));
    });
    assert.deepEqual(want.map((w) => [w.usedQueue, w.prototypesFrozen]), [[false, true], [false, true], [false, false], [true, false], [true, false], [true, false], [true, false], [true, false]]);
    assert.ok(lossError < 1e-5, `losses differ by ${lossError}`);
    // A linear layer's bias right before a BN has a gradient of 0 in exact arithmetic (the BN
    // subtracts the batch mean): what each engine computes is float32 cancellation noise, which
    // the (excluded, so unscaled) update adds to a value that changes no output. It is held to
    // a looser bound; every other parameter to 1e-5.
    const beforeBn = (name: string): boolean => /^head\.linear(\d+)\.bias$/.test(name) && run.setup.head.params.has(name.replace(/linear(\d+)\.bias$/, "bn$1.weight"));
    let paramError = 0;
    let noiseError = 0;
    assert.deepEqual(Object.keys(got.params).sort(), [...run.setup.params.keys()].sort());
    for (const [name, v] of run.setup.params) {
      const e = maxError(got.params[name]!, v.dataSync());
      if (beforeBn(name)) noiseError = Math.max(noiseError, e);
      else paramError = Math.max(paramError, e);
    }
    assert.ok(paramError < 1e-5, `parameters differ by ${paramError}`);
    assert.ok(noiseError < 1e-3, `biases before a BN differ by ${noiseError}`);
    const queueError = maxError(got.queue!, run.setup.queue!.queue.embeddings().dataSync());
    assert.ok(queueError < 1e-5, `queues differ by ${queueError}`);
    t.diagnostic(`${run.totalSteps} steps: losses ${want.map((w) => w.loss.toFixed(4)).join(" ")}; worst loss difference ${lossError.toExponential(2)}, parameters ${paramError.toExponential(2)} (biases before a BN ${noiseError.toExponential(2)}), queue ${queueError.toExponential(2)}`);
  } finally {
    run.dispose();
    for (const v of trunk.params.values()) v.dispose();
  }
});

interface OptimOut {
  after: Record<string, number[]>[];
  buffers: Record<string, number[]>;
}

const rate = (resolved: number): RateSpec => ({ resolved, value: resolved, per_images: null });
const OPTIMIZERS: OptimizerSpec[] = [
  { kind: "lars", lr: rate(0.5), momentum: 0.9, weight_decay: 0.01, trust: 0.02, exclude_bn_bias: true },
  { kind: "lars", lr: rate(0.5), momentum: 0.9, weight_decay: 1e-5, trust: 0.001, exclude_bn_bias: false },
  { kind: "sgd", lr: rate(0.1), momentum: 0.9, nesterov: true, weight_decay: 5e-4 },
  { kind: "sgd", lr: rate(0.1), momentum: 0.5, nesterov: false, weight_decay: 0 },
];

test("LARS and SGD: torch = tfjs after each of 4 steps (BN/bias excluded, zero weights and gradients, a frozen parameter)", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  await useBackend("cpu");
  const shapes: Record<string, number[]> = { "s1.b1.f.a.weight": [4, 3], "stem.bn.weight": [3], "head.linear0.bias": [3], "prototypes.weight": [2, 3], "zero.weight": [2], "still.weight": [2, 2] };
  const initial = Object.fromEntries(Object.entries(shapes).map(([n, s], i) => [n, n === "zero.weight" ? [0, 0] : [...randomMatrix(70 + i, 1, s.reduce((a, b) => a * b, 1))]]));
  const steps = [0.5, 0.3, 0.2, 0.05].map((lr, k) => ({
    lr,
    grads: Object.fromEntries(
      Object.entries(shapes)
        .filter(([n]) => !(n === "prototypes.weight" && k < 2)) // frozen for two steps: no gradient at all
        .map(([n, s], i) => [n, n === "still.weight" ? new Array(4).fill(0) : [...randomMatrix(90 + 10 * k + i, 1, s.reduce((a, b) => a * b, 1))].map((x) => x * 0.1)]),
    ) as Record<string, number[]>,
  }));
  let worst = 0;
  for (const spec of OPTIMIZERS) {
    const vars = new Map(Object.entries(shapes).map(([n, s]) => [n, tf.variable(tf.tensor(initial[n]!, s))]));
    const opt: Optimizer =
      spec.kind === "lars"
        ? new Lars(vars, { momentum: spec.momentum, weightDecay: spec.weight_decay, trust: spec.trust, ...(spec.exclude_bn_bias ? { exclude: isBatchNormOrBias } : {}) })
        : new Sgd(vars, { momentum: spec.momentum, nesterov: spec.nesterov, weightDecay: spec.weight_decay });
    try {
      const got = await selftest<OptimOut>(py, "optim", { optimizer: spec, params: Object.fromEntries(Object.entries(shapes).map(([n, s]) => [n, { shape: s, values: initial[n] }])), steps });
      steps.forEach((st, k) => {
        const grads = new Map(Object.entries(st.grads).map(([n, g]) => [n, tf.tensor(g, shapes[n])]));
        opt.apply(grads, st.lr);
        tf.dispose([...grads.values()]);
        for (const [n, v] of vars) {
          const e = maxError(got.after[k]![n]!, v.dataSync());
          assert.ok(e < 1e-6, `${spec.kind} step ${k}: ${n} differs by ${e}`);
          worst = Math.max(worst, e);
        }
      });
      const buffers = opt.exportState();
      for (const [n, b] of Object.entries(buffers)) assert.ok(maxError(got.buffers[n]!, b) < 1e-6, `${spec.kind}: momentum of ${n}`);
    } finally {
      opt.dispose();
      for (const v of vars.values()) v.dispose();
    }
  }
  t.diagnostic(`worst parameter difference over ${OPTIMIZERS.length} optimisers x 4 steps: ${worst.toExponential(2)}`);
});

const per256 = (value: number, batch: number): RateSpec => ({ resolved: (value * batch) / 256, value, per_images: 256 });

test("learning-rate schedules: torch = tfjs at every step tried (cosine, multistep, constant; warmups in every unit)", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const cases: { name: string; schedule: ScheduleSpec; lr: RateSpec | number; run: RunShape }[] = [
    { name: "SEER-10B: cosine, warmup 4.3648% from 0.15 per 256", schedule: { kind: "cosine", warmup: { unit: "run_fraction", value: 0.043648 }, warmup_from: per256(0.15, 7936), final_factor: 0.001 }, lr: per256(0.3, 7936), run: { stepsPerEpoch: 126008, batch: 7936, totalSteps: 126008 } },
    { name: "quickstart: cosine, warmup 1 epoch", schedule: { kind: "cosine", warmup: { unit: "epochs", value: 1 }, warmup_from: rate(0), final_factor: 0.001 }, lr: per256(0.6, 64), run: { stepsPerEpoch: 50, batch: 64, totalSteps: 2000 } },
    { name: "cosine, a warmup of 2.5 steps (Math.round: 3)", schedule: { kind: "cosine", warmup: { unit: "images", value: 640 }, warmup_from: rate(0.01), final_factor: 0 }, lr: 0.4, run: { stepsPerEpoch: 10, batch: 256, totalSteps: 30 } },
    { name: "multistep, milestones in epochs and images", schedule: { kind: "multistep", milestones: [{ unit: "epochs", value: 30 }, { unit: "images", value: 2_000_000 }, { unit: "epochs", value: 10 }], gamma: 0.1, warmup: { unit: "steps", value: 5 } }, lr: per256(0.1, 512), run: { stepsPerEpoch: 100, batch: 512, totalSteps: 9000 } },
    { name: "constant, warmup in images", schedule: { kind: "constant", warmup: { unit: "images", value: 2560 } }, lr: 0.05, run: { stepsPerEpoch: 10, batch: 256, totalSteps: 100 } },
  ];
  const stepsOf = (run: RunShape): number[] => [...new Set([0, 1, 2, 3, 4, 5, 6, 999, 1000, 3000, 3904, 4999, 5000, 5500, Math.floor(run.totalSteps / 2), run.totalSteps - 1, run.totalSteps, run.totalSteps + 7])].filter((s) => s >= 0);
  const got = await selftest<{ rates: number[][] }>(py, "schedule", {
    cases: cases.map((c) => ({ schedule: c.schedule, lr: c.lr, run: { steps_per_epoch: c.run.stepsPerEpoch, batch: c.run.batch, total_steps: c.run.totalSteps }, steps: stepsOf(c.run) })),
  });
  let worst = 0;
  cases.forEach((c, i) => {
    const lr = scheduleFromRecipe(c.schedule, c.lr, c.run);
    stepsOf(c.run).forEach((s, j) => {
      const want = lr(s);
      const e = Math.abs(got.rates[i]![j]! - want) / Math.max(Math.abs(want), 1e-300);
      assert.ok(e <= 1e-12, `${c.name}, step ${s}: ${got.rates[i]![j]} vs ${want}`);
      worst = Math.max(worst, e);
    });
  });
  t.diagnostic(`${cases.length} schedules: worst relative difference ${worst.toExponential(2)}`);
});
