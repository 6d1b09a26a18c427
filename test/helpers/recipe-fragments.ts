/** Pieces of seer source, for fuzzers that splice them into recipes. */
export const RECIPE_FRAGMENTS = [
  "dataset", "model", "pretrain", "eval", "suite", "report", "import", "param", "as", "per", "none", "true",
  "regnet", "swav", "synthetic", "crop", "lars", "knn", "linear_probe", "random_init", "x", "d.train", "m.pool",
  "=", "{", "}", "[", "]", "(", ")", ",", ".", "..", ":", "%", "-", "\"s\"", "\"", "/*", "*/", "//", "///",
  "1", "0.5", "4K", "1e-5", "32px", "2 epochs", "7 steps", "64 images", "\n", " ", "\t", "@", "\u0000", "é",
] as const;
