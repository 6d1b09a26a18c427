/** Suites and reports. */
import { type ConstructorDef, field, listOf, oneOf, ref } from "../desc.js";

export const suite: ConstructorDef = {
  name: "suite",
  makes: "suite",
  doc: "Runs every evaluation on every features entry: rows = features, columns = evaluation metrics.",
  fields: {
    features: field(listOf(ref("features"), 1), "Rows: feature taps (`swav_tiny.pool`, `random_init(tiny).pool`)."),
    evals: field(listOf(ref("eval"), 1), "Columns: evaluations."),
  },
};

export const table: ConstructorDef = {
  name: "table",
  makes: "report",
  doc: "A report of a suite's results table with plots and provenance.",
  fields: {
    suite: field(ref("suite"), "The suite whose results are reported."),
    plots: field(listOf(oneOf("pretrain_loss", "pretrain_lr", "eval_scores")), "Plots to include.", { default: ["pretrain_loss", "eval_scores"] }),
    format: field(oneOf("html", "markdown", "json"), "Output format (HTML also writes Markdown and JSON beside it).", { default: "html" }),
  },
};
