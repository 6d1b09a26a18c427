/** SwAV pretraining and the records used inside it (defaults: swav/VISSL, see docs/language.md). */
import { type ConstructorDef, bool, ctor, duration, field, images, int, listOf, num, oneOf, perImages, pixels, q, rate, ref } from "../desc.js";

export const crop: ConstructorDef = {
  name: "crop",
  makes: "value",
  doc: "A group of multi-crop views: `count` RandomResizedCrops of `size` covering `scale` of the image area.",
  fields: {
    count: field(int({ min: 1, what: "crops" }), "Number of crops in this group."),
    size: field(pixels(), "Output size of each crop."),
    scale: field({ t: "range", what: "a range of area fractions" }, "Fraction of the image area each crop covers (`lo..hi`, within (0, 1]).", { default: { from: 0.14, to: 1.0 } }),
  },
};

export const mlp: ConstructorDef = {
  name: "mlp",
  makes: "value",
  doc: "The projection head: linear layers of the given widths (the trunk width comes first implicitly).",
  fields: {
    dims: field(listOf(int({ min: 1, what: "units" }), 1), "Output widths of the head's linear layers; the last is the embedding size."),
    batch_norm: field(bool, "BatchNorm (and ReLU) after every hidden layer.", { default: true }),
  },
};

export const lars: ConstructorDef = {
  name: "lars",
  makes: "value",
  doc: "SGD with momentum wrapped in LARS (LARC) trust-ratio scaling; BN and bias parameters excluded as in VISSL.",
  fields: {
    lr: field(rate, "Peak learning rate; `X per 256 images` scales it linearly with the global batch."),
    momentum: field(num({ min: 0, exclusiveMax: 1 }), "Momentum.", { default: 0.9 }),
    weight_decay: field(num({ min: 0 }), "Weight decay (not applied to BN and bias parameters).", { default: 1e-6 }),
    trust: field(num({ exclusiveMin: 0 }), "LARS trust coefficient.", { default: 0.001 }),
    exclude_bn_bias: field(bool, "Skip LARS adaptation and weight decay for BN and bias parameters.", { default: true }),
  },
};

export const sgd: ConstructorDef = {
  name: "sgd",
  makes: "value",
  doc: "Stochastic gradient descent with momentum.",
  fields: {
    lr: field(rate, "Learning rate; `X per 256 images` scales it linearly with the global batch."),
    momentum: field(num({ min: 0, exclusiveMax: 1 }), "Momentum.", { default: 0.9 }),
    nesterov: field(bool, "Nesterov momentum.", { default: false }),
    weight_decay: field(num({ min: 0 }), "Weight decay.", { default: 0 }),
  },
};

export const cosine: ConstructorDef = {
  name: "cosine",
  makes: "value",
  doc: "Linear warmup, then half-cosine decay to `final_factor` times the peak, per step.",
  fields: {
    warmup: field(duration({ allowPercent: true, min: 0 }), "Length of the linear warmup.", { default: q(0, "steps") }),
    warmup_from: field(rate, "Learning rate at the start of the warmup.", { default: { value: 0 } }),
    final_factor: field(num({ min: 0, max: 1 }), "Final learning rate as a fraction of the peak.", { default: 0.001 }),
  },
};

export const multistep: ConstructorDef = {
  name: "multistep",
  makes: "value",
  doc: "Multiply the learning rate by `gamma` at each milestone.",
  fields: {
    milestones: field(listOf(duration({ allowPercent: true })), "When to decay (durations, or percentages of the run)."),
    gamma: field(num({ exclusiveMin: 0, max: 1 }), "Decay factor at each milestone.", { default: 0.1 }),
    warmup: field(duration({ allowPercent: true, min: 0 }), "Length of a linear warmup.", { default: q(0, "steps") }),
  },
};

export const constant: ConstructorDef = {
  name: "constant",
  makes: "value",
  doc: "A constant learning rate (optionally after a linear warmup).",
  fields: {
    warmup: field(duration({ allowPercent: true, min: 0 }), "Length of a linear warmup.", { default: q(0, "steps") }),
  },
};

const sinkhorn = {
  t: "record" as const,
  name: "sinkhorn",
  fields: {
    iterations: field(int({ min: 1, what: "iterations" }), "Sinkhorn-Knopp iterations.", { default: 3 }),
    epsilon: field(num({ exclusiveMin: 0 }), "Entropic regularisation (lower = sharper codes; 0.03 if training collapses).", { default: 0.05 }),
  },
};

const queue = {
  t: "record" as const,
  name: "queue",
  fields: {
    length: field(int({ min: 0, what: "embeddings" }), "Number of past embeddings kept (0 = no queue); a multiple of the global batch.", { default: 0 }),
    start: field(duration({ min: 0 }), "When the queue starts being used.", { default: q(15, "epochs") }),
  },
};

const augment = {
  t: "record" as const,
  name: "augment",
  fields: {
    flip: field(num({ min: 0, max: 1 }), "Probability of a horizontal flip.", { default: 0.5 }),
    rotate: field(num({ min: 0, max: 180 }), "Random rotation of every crop by up to this many degrees either way (0 = none, SwAV's default). Views then differ in orientation, so the features learn to ignore it.", { default: 0 }),
    jitter: field(num({ min: 0, max: 1 }), "Probability of colour jitter.", { default: 0.8 }),
    strength: field(num({ min: 0, max: 1 }), "Colour jitter strength s: brightness, contrast and saturation 0.8·s, hue 0.2·s.", { default: 1.0 }),
    grayscale: field(num({ min: 0, max: 1 }), "Probability of converting a crop to grayscale.", { default: 0.2 }),
    blur: field(num({ min: 0, max: 1 }), "Probability of a Gaussian blur.", { default: 0.5 }),
    blur_sigma: field({ t: "range", what: "a range of blur radii in pixels" }, "Blur radius range in pixels of the crop.", { default: { from: 0.1, to: 2.0 } }),
  },
};

const checkpoint = {
  t: "record" as const,
  name: "checkpoint",
  fields: {
    every: field(duration(), "Checkpoint interval.", { default: q(1, "epochs") }),
    keep: field(int({ min: 1, what: "checkpoints" }), "How many recent checkpoints to keep.", { default: 2 }),
  },
};

export const swav: ConstructorDef = {
  name: "swav",
  makes: "pretrain",
  doc: "SwAV self-supervised pretraining (Caron et al. 2020) as used by SEER.",
  fields: {
    model: field(ref("model"), "The trunk to pretrain."),
    data: field(ref("dataset", "split"), "Images to pretrain on (labels are ignored)."),
    augment: field(augment, "Photometric augmentation of every crop (SwAV's defaults).", {
      default: { flip: 0.5, rotate: 0, jitter: 0.8, strength: 1.0, grayscale: 0.2, blur: 0.5, blur_sigma: { from: 0.1, to: 2.0 } },
    }),
    crops: field(listOf(ctor(["crop"]), 1), "Multi-crop groups; codes come from the first group with `count` >= 2.", {
      default: [{ $ctor: "crop", count: 2, size: q(224, "px"), scale: { from: 0.14, to: 1.0 } }],
    }),
    head: field(ctor(["mlp"]), "Projection head.", { default: { $ctor: "mlp", dims: [2048, 128], batch_norm: true } }),
    prototypes: field(int({ min: 1, what: "prototypes" }), "Number of prototypes K.", { default: 3000 }),
    temperature: field(num({ exclusiveMin: 0 }), "Softmax temperature of the swapped prediction.", { default: 0.1 }),
    sinkhorn: field(sinkhorn, "Sinkhorn-Knopp settings.", { default: { iterations: 3, epsilon: 0.05 } }),
    queue: field(queue, "Queue of past embeddings (small batches only).", { default: { length: 0, start: q(15, "epochs") } }),
    freeze_prototypes: field(duration({ min: 0 }), "Prototypes get no gradient for this long.", { default: q(313, "steps") }),
    optimizer: field(ctor(["lars", "sgd"]), "Optimiser.", {
      default: { $ctor: "lars", lr: perImages(0.3, 256), momentum: 0.9, weight_decay: 1e-6, trust: 0.001, exclude_bn_bias: true },
    }),
    schedule: field(ctor(["cosine", "multistep", "constant"]), "Learning-rate schedule.", {
      default: { $ctor: "cosine", warmup: q(0, "steps"), warmup_from: { value: 0 }, final_factor: 0.001 },
    }),
    batch: field(images(), "Global batch (over all GPUs)."),
    duration: field(duration(), "Length of the run."),
    precision: field(oneOf("fp32", "mixed"), "Numeric precision (`mixed` = fp16/bf16 compute where the backend has it).", { default: "fp32" }),
    gpus: field(int({ min: 1, what: "GPUs" }), "Accelerators the run needs (the CPU pool counts as one).", { default: 1 }),
    sharding: field(oneOf("none", "full"), "How the GPUs hold the model: `none`, every GPU a full copy of weights, gradients and optimiser state (DDP); `full`, each GPU a 1/`gpus` shard of them, gathering one layer at a time (FSDP). `seer plan` and `seer run` count memory per GPU with it (docs/cost-model.md); no engine here shards yet, so `seer run` refuses `full` (exit 3).", { default: "none" }),
    activation_checkpointing: field(bool, "Keep only each block's output for the backward pass and recompute the rest: much less activation memory for about a third more compute. Plans count both (docs/cost-model.md). The torch engine does it (same weights, bit for bit on CPU); `seer run` refuses it on tfjs (exit 3).", { default: false }),
    engine: field(oneOf("tfjs", "torch"), "The engine that must run it (default: the run's `--engine`): `torch` for PyTorch on GPUs and across nodes, `tfjs` for TensorFlow.js.", { optional: true }),
    seed: field(int({ min: 0 }), "Seed of initialisation, data order and augmentation.", { default: 0 }),
    checkpoint: field(checkpoint, "Checkpointing.", { default: { every: q(1, "epochs"), keep: 2 } }),
  },
};
