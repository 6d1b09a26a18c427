/** RegNet rules: the pycls expansion must give a buildable network. */
import { diag, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import { expandStages, tapNames, type RegNetParams } from "../../regnet/arith.js";
import { RECIPE_NAMES } from "../../regnet/params.js";
import { countStages } from "../../regnet/complexity.js";
import { humanCount } from "../../regnet/explain.js";
import type { CheckedDecl } from "../checker.js";
import { pointer } from "../../../core/json.js";
import type { DeclFacts } from "./index.js";


/** The arithmetic's parameters from a checked `regnet` value. */
export function regnetParams(v: Record<string, unknown>): RegNetParams {
  return {
    family: v["family"] === "X" ? "X" : "Y",
    depth: Number(v["depth"]),
    w0: Number(v["w0"]),
    wa: Number(v["wa"]),
    wm: Number(v["wm"]),
    groupWidth: Number(v["group_width"]),
    bottleneck: Number(v["bottleneck"] ?? 1),
    seRatio: v["se_ratio"] === null || v["se_ratio"] === undefined ? null : Number(v["se_ratio"]),
    stemWidth: Number(v["stem_width"] ?? 32),
    zeroInitResidual: v["zero_init_residual"] === true,
  };
}

export function regnetFacts(d: CheckedDecl): DeclFacts {
  const p = regnetParams(d.value);
  if (p.family === "X") p.seRatio = null;
  const { stages } = expandStages(p);
  if (stages.length === 0) return {};
  return { stages: stages.length, taps: tapNames(stages.length) };
}

/** Ten times SEER's largest trunk (10B parameters). */
const HUGE_PARAMS = 100e9;

export function regnetRules(d: CheckedDecl): Diagnostic[] {
  const out: Diagnostic[] = [];
  const p = regnetParams(d.value);
  if (p.family === "X" && p.seRatio !== null) {
    out.push(diag("SeRatioOnX", d.spans.keyAt(pointer("", "se_ratio")) ?? d.info.ast.name.span, {}, { path: [d.info.name, "se_ratio"] }));
    p.seRatio = null;
  }
  const expansion = expandStages(p);
  for (const problem of expansion.problems) {
    const field = RECIPE_NAMES[problem.field];
    const span = d.spans.values.get(pointer("", field)) ?? d.info.ast.base?.span ?? d.info.ast.name.span;
    out.push(diag("RegNetInvalid", span, { detail: problem.message }, { path: [d.info.name, field] }));
  }
  if (expansion.problems.length === 0 && expansion.stages.length > 0) {
    const params = countStages(expansion.stages, { stemWidth: p.stemWidth, seRatio: p.seRatio }, { classes: 0 }).trunkParams;
    if (params > HUGE_PARAMS) out.push(diag("RegNetHuge", d.info.ast.name.span, { params: humanCount(params) }, { path: [d.info.name] }));
  }
  return out;
}
