/** A model's contract spec: the pycls expansion of its generating parameters, taps included. */
import type { ModelSpec } from "../../contract/specs.js";
import { expandStages, tapNames, type RegNetParams } from "./arith.js";

/** The expanded trunk of `p`; throws when the parameters do not expand (the checker reports that first). */
export function modelSpecFromParams(name: string, p: RegNetParams, inputSize = 224): ModelSpec {
  const { stages, problems } = expandStages(p);
  if (problems.length > 0) throw new Error(`RegNet: ${problems[0]!.message}`);
  return {
    name,
    family: p.family,
    stem_width: p.stemWidth,
    se_ratio: p.family === "Y" ? p.seRatio : null,
    zero_init_residual: p.zeroInitResidual === true,
    stages: stages.map((s) => ({ depth: s.depth, width: s.width, group_width: s.groupWidth, bottleneck_width: s.bottleneckWidth })),
    generator: { depth: p.depth, w0: p.w0, wa: p.wa, wm: p.wm, group_width: p.groupWidth, bottleneck: p.bottleneck },
    input_size: inputSize,
    taps: tapNames(stages.length),
  };
}

/** The generating parameters of a model spec (for the complexity and memory arithmetic). */
export function paramsOfModel(m: ModelSpec): RegNetParams {
  const g = m.generator;
  return { family: m.family, depth: g.depth, w0: g.w0, wa: g.wa, wm: g.wm, groupWidth: g.group_width, bottleneck: g.bottleneck, seRatio: m.se_ratio, stemWidth: m.stem_width, zeroInitResidual: m.zero_init_residual };
}
