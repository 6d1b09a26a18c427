/**
 * Feature-map shapes at the named taps of a RegNet, for one image.
 * Taps follow the detectron/VISSL convention: `stem`, then `res2` for stage 1 up to
 * `res{n+1}` for stage n, then `pool` (global average pool, 1×1).
 */
import { convOutputSize } from "./complexity.js";
import { expandOrThrow } from "./expand.js";
import type { RegNetParams } from "./params.js";

export interface TapShape {
  channels: number;
  height: number;
  width: number;
}

/** `stem`, `res2` … `res{stageCount+1}`, `pool`. */
export function tapNames(stageCount: number): string[] {
  if (!Number.isInteger(stageCount) || stageCount < 0) {
    throw new RangeError(`The stage count must be a whole number, at least 0, got ${stageCount}.`);
  }
  const stages = Array.from({ length: stageCount }, (_, i) => `res${i + 2}`);
  return ["stem", ...stages, "pool"];
}

/**
 * Shapes at every tap for a square input of side `inputSize`. Each stride-2 step maps a
 * side h to ⌈h/2⌉ (pycls's conv arithmetic with padding ⌊k/2⌋). Throws
 * `RegNetParamsError` when the parameters have problems.
 */
export function tapShapes(p: RegNetParams, inputSize: number): Record<string, TapShape> {
  if (!Number.isInteger(inputSize) || inputSize < 1) {
    throw new RangeError(`The input size must be a whole number of pixels, at least 1, got ${inputSize}.`);
  }
  const stages = expandOrThrow(p);
  const names = tapNames(stages.length);
  const shapes: Record<string, TapShape> = {};
  let side = convOutputSize(inputSize, 2);
  let channels = p.stemWidth;
  shapes["stem"] = { channels, height: side, width: side };
  stages.forEach((s, i) => {
    side = convOutputSize(side, s.stride);
    channels = s.width;
    shapes[names[i + 1] ?? `res${i + 2}`] = { channels, height: side, width: side };
  });
  shapes["pool"] = { channels, height: 1, width: 1 };
  return shapes;
}
