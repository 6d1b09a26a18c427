/** The RegNet model constructor (pycls / ClassyVision parameterisation). */
import { type ConstructorDef, bool, field, int, num, oneOf, pixels } from "../desc.js";

export const regnet: ConstructorDef = {
  name: "regnet",
  makes: "model",
  doc: "A RegNetX or RegNetY trunk generated from (depth, w0, wa, wm, group_width) exactly as pycls does.",
  fields: {
    family: field(oneOf("X", "Y"), "`X` (residual bottleneck blocks) or `Y` (X plus squeeze-and-excitation)."),
    depth: field(int({ min: 1, what: "blocks" }), "Total number of blocks over all stages."),
    w0: field(int({ exclusiveMin: 0, multipleOf: 8, what: "channels" }), "Initial width: a positive multiple of 8 channels."),
    wa: field(num({ min: 0 }), "Slope of the linear width ramp (`w0 + wa * j`)."),
    wm: field(num({ exclusiveMin: 1 }), "Width multiplier between quantised stages (> 1)."),
    group_width: field(int({ min: 1, what: "channels" }), "Channels per group of the 3x3 convolution."),
    bottleneck: field(num({ exclusiveMin: 0 }), "Bottleneck multiplier (pycls `BOT_MUL`; 1.0 for RegNetX and RegNetY).", { default: 1.0 }),
    se_ratio: field(num({ exclusiveMin: 0, max: 1 }), "Squeeze-and-excitation width as a fraction of the block input width (RegNetY; default 0.25).", { optional: true, nullable: true }),
    stem_width: field(int({ min: 1, what: "channels" }), "Width of the 3x3 stride-2 stem.", { default: 32 }),
    zero_init_residual: field(bool, "Start every block's last BatchNorm scale at 0, so each residual block begins as the identity (pycls `BN.ZERO_INIT_FINAL_GAMMA`, torchvision `zero_init_residual`). Makes the untrained trunk smooth and small-scale SwAV stable.", { default: false }),
    input: field(pixels(), "Input image size used for complexity figures.", { default: { value: 224, unit: "px" } }),
    classes: field(int({ min: 1, what: "classes" }), "Outputs of the classification head used for the with-head figures.", { default: 1000 }),
  },
};
