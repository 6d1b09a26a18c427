/** Domain rules by constructor, and the facts other declarations need about one. */
import type { Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import type { CheckedDecl, Checker } from "../checker.js";
import { datasetFacts, datasetRules } from "./datasets.js";
import { evalRules } from "./evals.js";
import { regnetFacts, regnetRules } from "./regnet.js";
import { swavRules } from "./swav.js";

export interface DeclFacts {
  /** Datasets: split names ([] when unsplit). */
  splits?: string[];
  /** Datasets: per-image attributes usable by `group_by`. */
  attributes?: string[];
  /** Datasets: whether images carry class labels. */
  labelled?: boolean;
  /** Models and pretrainings: feature taps. */
  taps?: string[];
  /** Models: number of stages. */
  stages?: number;
}

export function declFacts(d: CheckedDecl, schemaOk: boolean): DeclFacts {
  if (d.kind === "dataset") return datasetFacts(d);
  if (d.kind === "model") return schemaOk ? regnetFacts(d) : {};
  return {};
}

export function runRules(d: CheckedDecl, checker: Checker): Diagnostic[] {
  switch (d.ctor.name) {
    case "regnet":
      return regnetRules(d);
    case "swav":
      return swavRules(d, checker);
    case "synthetic":
    case "image_folder":
    case "manifest":
      return datasetRules(d);
    default:
      return d.kind === "eval" || d.kind === "suite" ? evalRules(d, checker) : [];
  }
}
