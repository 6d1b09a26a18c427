/** Evaluation constructors (protocols: VISSL benchmarks, see docs/language.md). */
import { type ConstructorDef, ctor, epochs, field, images, int, listOf, num, oneOf, perImages, q, ref, symbol } from "../desc.js";

const features = field(listOf(ref("features"), 1), "Feature taps to evaluate; usually left open and supplied by a suite.", { optional: true });

export const linearProbe: ConstructorDef = {
  name: "linear_probe",
  makes: "eval",
  doc: "BatchNorm + linear classifier trained on frozen features (VISSL eval_mlp); reports top-1 and top-5.",
  fields: {
    features,
    train: field(ref("split", "dataset"), "Labelled images to train the probe on."),
    test: field(ref("split", "dataset"), "Labelled images to score the probe on.", { optional: true }),
    epochs: field(epochs(), "Training epochs.", { default: q(28, "epochs") }),
    batch: field(images(), "Global batch.", { default: q(256, "images") }),
    optimizer: field(ctor(["sgd"]), "Optimiser.", {
      default: { $ctor: "sgd", lr: perImages(0.01, 256), momentum: 0.9, nesterov: true, weight_decay: 5e-4 },
    }),
    schedule: field(ctor(["multistep", "cosine", "constant"]), "Learning-rate schedule (default: /10 at 2/7, 4/7 and 6/7 of the run, VISSL's 8/16/24 of 28 epochs).", {
      default: { $ctor: "multistep", milestones: [q(28.5714, "%"), q(57.1429, "%"), q(85.7143, "%")], gamma: 0.1, warmup: q(0, "steps") },
    }),
    seed: field(int({ min: 0 }), "Seed of initialisation and data order.", { default: 0 }),
  },
};

export const knn: ConstructorDef = {
  name: "knn",
  makes: "eval",
  doc: "k-nearest-neighbour classification on L2-normalised features with temperature-weighted votes; reports top-1.",
  fields: {
    features,
    train: field(ref("split", "dataset"), "Labelled images that form the neighbour bank."),
    test: field(ref("split", "dataset"), "Labelled images to classify."),
    k: field(int({ min: 1, what: "neighbours" }), "Number of neighbours.", { default: 200 }),
    temperature: field(num({ exclusiveMin: 0 }), "Vote weight exp(similarity / temperature).", { default: 0.07 }),
  },
};

export const fairness: ConstructorDef = {
  name: "fairness",
  makes: "eval",
  doc: "A probe's accuracy per group of each attribute, with the gap between the best and worst group.",
  fields: {
    features,
    probe: field(ctor(["linear_probe"], "eval"), "The linear probe to break down (a declaration or an inline `linear_probe { ... }`)."),
    test: field(ref("split", "dataset"), "Images with group attributes (default: the probe's `test`).", { optional: true }),
    group_by: field(listOf(symbol, 1), "Attributes of the test set to group by."),
  },
};

export const robustness: ConstructorDef = {
  name: "robustness",
  makes: "eval",
  doc: "A probe trained on one dataset, scored on each test set (outputs masked to a `subset_of` set's classes).",
  fields: {
    features,
    probe: field(ctor(["linear_probe"], "eval"), "The linear probe to score (a declaration or an inline `linear_probe { ... }`)."),
    tests: field(listOf(ref("split", "dataset"), 1), "Test sets; the first is the in-distribution reference for the drop."),
  },
};

export const pca: ConstructorDef = {
  name: "pca",
  makes: "value",
  doc: "PCA whitening learned on a separate set of images.",
  fields: {
    dims: field(int({ min: 1, what: "dimensions" }), "Output dimensions."),
    train: field(ref("split", "dataset"), "Images to learn the whitening on (default: the distractors).", { optional: true }),
  },
};

export const copyDetection: ConstructorDef = {
  name: "copy_detection",
  makes: "eval",
  doc: "Image copy detection: regional pooling, PCA whitening, cosine ranking; reports mAP.",
  fields: {
    features,
    data: field(ref("dataset"), "A `copy_detection_set`."),
    pooling: field(oneOf("rmac", "gem"), "Regional max pooling (R-MAC) or generalised mean pooling.", { default: "rmac" }),
    levels: field(int({ min: 1, max: 5, what: "levels" }), "R-MAC spatial levels.", { default: 3 }),
    whitening: field(ctor(["pca"]), "Whitening.", { optional: true }),
    metric: field(oneOf("map"), "Reported metric.", { default: "map" }),
  },
};
