/**
 * RegNet arithmetic: the public entry point. Pure functions, no I/O.
 *
 * - `expandStages`: parameters → stages, with problems listed instead of thrown;
 * - `complexity`: exact pycls flops / params / acts, per stem, stage and head;
 * - `tapShapes` / `tapNames`: feature-map shapes at `stem`, `res2`…, `pool`;
 * - `memoryEstimate`: a documented fp32 training-memory estimate.
 *
 * The rules are those of shared/reference/regnet.md (pycls); `rules` options reproduce the
 * documented differences of other implementations.
 */
export {
  DEFAULT_BOTTLENECK,
  DEFAULT_STEM_WIDTH,
  DEFAULT_Y_SE_RATIO,
  RegNetParamsError,
  WIDTH_QUANTUM,
  checkParams,
  withDefaults,
  type RegNetInput,
  type RegNetParams,
  type RegNetProblem,
} from "./params.js";
export { STAGE_STRIDE, blockWidths, expandOrThrow, expandStages, type Expansion, type StageInfo } from "./expand.js";
export {
  DEFAULT_CLASSES,
  DEFAULT_INPUT_SIZE,
  complexity,
  convOutputSize,
  countStages,
  type Complexity,
  type BlockCounts,
  type ComplexityOptions,
  type Counts,
  type NetworkShape,
} from "./complexity.js";
export { tapNames, tapShapes, type TapShape } from "./shapes.js";
export { memoryEstimate, type MemoryEstimate } from "./memory.js";
export { PYCLS_RULES, TORCHVISION_RULES, type CountingRules } from "./rules.js";
export { roundHalfEven, roundHalfUp, type TieRounding } from "../../core/round.js";
