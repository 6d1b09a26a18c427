/** Dataset constructors. */
import { type ConstructorDef, bool, field, int, listOf, num, oneOf, ref, str, symbol, type TypeDesc } from "../desc.js";

// A split of 0% would hold no images (and fail only when a stage loads it).
const splitValue: TypeDesc = { t: "either", of: [{ t: "quantity", units: ["%"], what: "a percentage above 0", exclusiveMin: 0, max: 100 }, str("a sub-folder")] };
const splits = (doc: string) => field({ t: "map", of: splitValue, minItems: 1 }, doc, { optional: true });

// What a plan counts on when the data is not on the planning machine (the data's own count wins when it is).
const declaredImages = field(
  int({ min: 1, what: "images" }),
  "How many images the dataset is expected to hold (count suffixes allowed: `1B`). `seer plan` estimates from it when the data is not there; when it is, the images are counted.",
  { optional: true },
);

export const synthetic: ConstructorDef = {
  name: "synthetic",
  makes: "dataset",
  doc: "A deterministic generator of labelled images: coloured shapes on textured backgrounds. Needs no download.",
  fields: {
    kind: field(oneOf("shapes"), "What the generator draws.", { default: "shapes" }),
    images: field(int({ min: 1, max: 10_000_000, what: "images" }), "How many images the dataset has, up to 10M (count suffixes allowed: `4K`); the loader and the splits hold a few bytes per image."),
    size: field({ t: "quantity", units: ["px"], what: "a size in pixels", integer: true, min: 8, max: 1024 }, "Side length of the square images, 8 to 1024 px (what the generator draws).", { default: { value: 32, unit: "px" } }),
    classes: field(int({ min: 2, max: 1000, what: "classes" }), "Number of classes (shape and colour combinations).", { default: 10 }),
    groups: field(int({ min: 1, max: 64, what: "groups" }), "Number of groups; each image gets a `group` attribute (for fairness breakdowns).", { default: 1 }),
    shift: field(num({ min: 0, max: 1 }), "Distribution shift of colours and textures, 0 (none) to 1.", { default: 0 }),
    seed: field(int({ min: 0 }), "Seed of the generator.", { default: 0 }),
    splits: splits("Named parts of the dataset as percentages adding up to 100% (`splits { train = 80%  test = 20% }`)."),
  },
};

export const imageFolder: ConstructorDef = {
  name: "image_folder",
  makes: "dataset",
  doc: "Images read from a folder tree: one sub-folder per class, or a flat tree when unlabelled (JPEG, PNG, WebP).",
  fields: {
    root: field(str("a folder path"), "The folder that holds the images, relative to the recipe."),
    splits: splits("Named parts: sub-folders of `root` (`splits { train = \"train\"  val = \"val\" }`) or percentages."),
    classes: field(int({ min: 1, what: "classes" }), "Number of classes (checked against the folders when read).", { optional: true }),
    labels: field(oneOf("folders"), "Where labels come from: `folders` (class sub-folders) or `none` (unlabelled).", { default: "folders", nullable: true }),
    subset_of: field(ref("dataset"), "A dataset whose classes include this one's (outputs are masked to these classes).", { optional: true }),
    content_hash: field(bool, "Fingerprint file contents, not just paths, sizes and times.", { default: false }),
    images: declaredImages,
  },
};

export const manifest: ConstructorDef = {
  name: "manifest",
  makes: "dataset",
  doc: "Images listed in a CSV or JSONL file, one row per image, with a label and attributes.",
  fields: {
    file: field(str("a file path"), "The CSV or JSONL manifest, relative to the recipe."),
    root: field(str("a folder path"), "Folder that image paths in the manifest are relative to (default: the manifest's folder).", { optional: true }),
    image: field(symbol, "Column that holds the image path.", { default: "path" }),
    label: field(symbol, "Column that holds the class label.", { default: "label", nullable: true }),
    attributes: field(listOf(symbol), "Columns that hold per-image attributes (for fairness breakdowns).", { default: [] }),
    classes: field(int({ min: 1, what: "classes" }), "Number of classes.", { optional: true }),
    splits: splits("Named parts: values of a `split` column (strings) or percentages."),
    subset_of: field(ref("dataset"), "A dataset whose classes include this one's.", { optional: true }),
    content_hash: field(bool, "Fingerprint file contents, not just paths, sizes and times.", { default: false }),
    images: declaredImages,
  },
};

export const copyDetectionSet: ConstructorDef = {
  name: "copy_detection_set",
  makes: "dataset",
  doc: "An image copy-detection benchmark (CopyDays-style): queries, a database of originals, optional distractors.",
  fields: {
    root: field(str("a folder path"), "The benchmark's folder, relative to the recipe."),
    queries: field(str("a sub-folder"), "Sub-folder of edited query images.", { default: "queries" }),
    database: field(str("a sub-folder"), "Sub-folder of original images.", { default: "database" }),
    distractors: field(str("a sub-folder"), "Sub-folder of unrelated images added to the database.", { optional: true }),
    ground_truth: field(str("a file path"), "File mapping each query to its originals (default: matching file names).", { optional: true }),
    content_hash: field(bool, "Fingerprint file contents, not just paths, sizes and times.", { default: false }),
  },
};
