/**
 * A rough fp32 training-memory estimate for a RegNet, from the pycls counts.
 *
 * Assumptions (deliberately simple; a planning figure, not a measurement):
 * - weights: 4 bytes per parameter (fp32), fc head included;
 * - training state: weights + gradients + one SGD momentum buffer = 3 × weights
 *   (LARC keeps no extra persistent state);
 * - activations kept for the backward pass, per image: every element counted in pycls
 *   `acts` (each conv and fc output) is held about twice — the raw conv output that
 *   BatchNorm saves, and the BN + in-place ReLU output that the next layer saves —
 *   plus the input image: (2 × acts + 3 × side²) × 4 bytes;
 * - not modelled: mixed precision, activation checkpointing, cuDNN workspaces, allocator
 *   fragmentation, data-loader buffers.
 */
import { complexity, INPUT_CHANNELS } from "./complexity.js";
import type { RegNetParams } from "./params.js";

export const BYTES_PER_FLOAT32 = 4;
/** Saved tensors per counted activation element (see the module comment). */
export const SAVED_TENSORS_PER_ACT = 2;
/** Weights, gradients and one momentum buffer. */
export const TRAINING_COPIES_OF_WEIGHTS = 3;

export interface MemoryEstimate {
  weightsBytes: number;
  activationBytesPerImage: number;
  trainingBytes: number;
}

export function memoryEstimate(
  p: RegNetParams,
  opts: { inputSize: number; batch: number; classes?: number },
): MemoryEstimate {
  if (!Number.isInteger(opts.batch) || opts.batch < 1) {
    throw new RangeError(`The batch size must be a whole number, at least 1, got ${opts.batch}.`);
  }
  const cx = complexity(p, { inputSize: opts.inputSize, classes: opts.classes });
  const weightsBytes = cx.params * BYTES_PER_FLOAT32;
  const inputElements = INPUT_CHANNELS * opts.inputSize * opts.inputSize;
  const activationBytesPerImage = (SAVED_TENSORS_PER_ACT * cx.acts + inputElements) * BYTES_PER_FLOAT32;
  return {
    weightsBytes,
    activationBytesPerImage,
    trainingBytes: TRAINING_COPIES_OF_WEIGHTS * weightsBytes + opts.batch * activationBytesPerImage,
  };
}
