/** Domain rules by constructor, and the facts other declarations need about one. */
import type { Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import type { DeclInfo } from "../../resolve/scope.js";
import type { CheckedDecl, Checker } from "../checker.js";
import { datasetFacts, datasetRules } from "./datasets.js";
import { evalRules } from "./evals.js";
import { regnetFacts, regnetRules } from "./regnet.js";
import { swavRules } from "./swav.js";

export interface DeclFacts {
  /** Datasets: split names, in declaration order (empty when unsplit). */
  splits?: ReadonlySet<string>;
  /** Datasets: per-image attributes usable by `group_by`. */
  attributes?: ReadonlySet<string>;
  /** Datasets: whether images carry class labels. */
  labelled?: boolean;
  /** Models and pretrainings (those of its model): feature taps. */
  taps?: string[];
  /** Models and pretrainings (those of its model): number of stages. */
  stages?: number;
  /** Pretrainings: the model it trains. */
  model?: DeclInfo;
}

export function declFacts(d: CheckedDecl, schemaOk: boolean, checker: Checker): DeclFacts {
  if (d.kind === "dataset") return datasetFacts(d);
  if (d.kind === "model") return schemaOk ? regnetFacts(d) : {};
  if (d.kind === "pretrain") return pretrainFacts(d, checker);
  return {};
}

/** A pretraining trains its `model`: its taps and stages are the model's (none when the model is unknown). */
function pretrainFacts(d: CheckedDecl, checker: Checker): DeclFacts {
  const model = d.refs.get("/model");
  if (model?.k !== "decl" || model.decl.kind !== "model") return {};
  const { taps, stages } = checker.ensure(model.decl)?.facts ?? {};
  return { model: model.decl, ...(taps ? { taps } : {}), ...(stages !== undefined ? { stages } : {}) };
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
