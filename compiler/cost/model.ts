/**
 * The cost model of a SwAV pretraining under data parallelism: memory per device and compute,
 * from the RegNet arithmetic (pycls counts) and a stage's spec. Pure functions, no I/O; the
 * accelerators and the utilisation factor are in contract/hardware.ts, the assumptions in
 * docs/cost-model.md.
 *
 * Memory per device (bytes):
 * - states: fp32 weights (4/param), fp32 gradients (4/param), one fp32 momentum buffer
 *   (4/param, SGD/LARS with momentum > 0; LARS keeps nothing else); mixed precision adds the
 *   half-precision copies of the weights autocast keeps during a step (2/param). Parameters are
 *   the trunk's, the projection head's and the prototypes'.
 * - `sharding = full` (FSDP, ZeRO-3 style) divides the states by the GPUs and adds the working
 *   set of gathered layers: the largest layer's weights twice (the one computing and the one
 *   prefetched) and its gradient once, in the compute precision.
 * - activations at the per-device batch (global batch / gpus) over every crop: each counted
 *   activation (conv and fc outputs) is saved about twice (BN input and ReLU output), plus the
 *   input image, in the compute precision (2 bytes mixed, 4 fp32). With activation
 *   checkpointing only each block's output is kept, and one block's activations are rebuilt
 *   at a time during the backward pass.
 * - a fixed reserve per accelerator (CUDA context, workspaces).
 *
 * Compute: multiply-adds per image over every crop (trunk + head + prototypes), times 3 for a
 * training step (forward, and a backward of twice the forward), plus one more forward with
 * activation checkpointing; two FLOPs per multiply-add.
 */
import type { PretrainSwavSpec } from "../../contract/specs.js";
import type { Accelerator } from "../../contract/hardware.js";
import { DEVICE_RESERVE_BYTES, peakFor, UTILISATION } from "../../contract/hardware.js";
import { complexity, expandOrThrow, type BlockCounts } from "../regnet/arith.js";
import { INPUT_CHANNELS } from "../regnet/complexity.js";
import { paramsOfModel } from "../regnet/model-spec.js";

/** How a pretraining is laid out over its devices. */
export interface Layout {
  gpus: number;
  batch: number;
  precision: "fp32" | "mixed";
  sharding: "none" | "full";
  activationCheckpointing: boolean;
}

export interface DeviceMemory {
  weights: number;
  gradients: number;
  optimizer: number;
  /** Half-precision weight copies (mixed, unsharded) or gathered layers (sharded). */
  working: number;
  activations: number;
  reserve: number;
  total: number;
  /** Images per device per step. */
  perDeviceBatch: number;
}

export interface Counted {
  /** Trunk + head + prototypes. */
  params: number;
  /** The largest single layer (conv or linear), parameters. */
  largestLayer: number;
  /** Multiply-adds of one image's forward pass over every crop. */
  macsPerImage: number;
}

const BYTES_FP32 = 4;
const BYTES_HALF = 2;
const SAVED_PER_ACT = 2;

/** The projection head and prototypes: parameters, multiply-adds and outputs per crop image, largest layer. */
function head(spec: PretrainSwavSpec, featureDim: number) {
  const dims = [featureDim, ...spec.head.dims];
  let params = 0, macs = 0, acts = 0, largest = 0;
  for (let i = 1; i < dims.length; i++) {
    const w = dims[i - 1]! * dims[i]!;
    params += w + dims[i]! + (spec.head.batch_norm && i < dims.length - 1 ? 2 * dims[i]! : 0);
    macs += w;
    acts += dims[i]!;
    largest = Math.max(largest, w);
  }
  const proto = dims[dims.length - 1]! * spec.prototypes;
  return { params: params + proto, macs: macs + proto, acts: acts + spec.prototypes, largest: Math.max(largest, proto) };
}

function trunkAt(spec: PretrainSwavSpec, size: number) {
  const blocks: BlockCounts[] = [];
  const cx = complexity(paramsOfModel(spec.model), { inputSize: size, classes: 0, onBlock: (b) => blocks.push(b) });
  return { cx, blocks };
}

/** The largest conv of the trunk, parameters. */
function largestTrunkLayer(spec: PretrainSwavSpec): number {
  const p = paramsOfModel(spec.model);
  let cin = p.stemWidth, largest = 9 * INPUT_CHANNELS * p.stemWidth;
  for (const s of expandOrThrow(p)) {
    const wb = s.bottleneckWidth;
    largest = Math.max(largest, cin * s.width, cin * wb, (9 * wb * wb) / s.groups, wb * s.width);
    cin = s.width;
  }
  return largest;
}

export function countPretraining(spec: PretrainSwavSpec): Counted {
  const featureDim = spec.model.stages[spec.model.stages.length - 1]!.width;
  const h = head(spec, featureDim);
  const trunkParams = trunkAt(spec, spec.crops[0]!.size).cx.trunkParams;
  const macsPerImage = spec.crops.reduce((a, c) => a + c.count * (trunkAt(spec, c.size).cx.trunkFlops + h.macs), 0);
  return { params: trunkParams + h.params, largestLayer: Math.max(largestTrunkLayer(spec), h.largest), macsPerImage };
}

/** Saved activation elements of one image (every crop) and, with checkpointing, the largest block rebuilt at once. */
function activationElements(spec: PretrainSwavSpec, checkpointing: boolean): number {
  const featureDim = spec.model.stages[spec.model.stages.length - 1]!.width;
  const h = head(spec, featureDim);
  let kept = 0, rebuilt = 0;
  for (const c of spec.crops) {
    const { cx, blocks } = trunkAt(spec, c.size);
    const input = INPUT_CHANNELS * c.size * c.size;
    const headActs = SAVED_PER_ACT * h.acts;
    if (!checkpointing) {
      kept += c.count * (SAVED_PER_ACT * cx.trunkActs + input + headActs);
    } else {
      const boundaries = blocks.reduce((a, b) => a + b.outElements, 0);
      kept += c.count * (boundaries + SAVED_PER_ACT * cx.stem.acts + input + headActs);
      rebuilt += c.count * Math.max(...blocks.map((b) => SAVED_PER_ACT * b.acts));
    }
  }
  return kept + rebuilt;
}

/** Memory per device of a pretraining laid out as `l`; `reserve` is 0 on a CPU. */
export function deviceMemory(spec: PretrainSwavSpec, l: Layout, reserve = DEVICE_RESERVE_BYTES): DeviceMemory {
  const n = countPretraining(spec);
  const shards = l.sharding === "full" ? l.gpus : 1;
  const momentum = spec.optimizer.momentum > 0 ? 1 : 0;
  const computeBytes = l.precision === "mixed" ? BYTES_HALF : BYTES_FP32;
  const weights = Math.ceil((BYTES_FP32 * n.params) / shards);
  const gradients = Math.ceil((BYTES_FP32 * n.params) / shards);
  const optimizer = Math.ceil((momentum * BYTES_FP32 * n.params) / shards);
  const working = l.sharding === "full" ? 3 * computeBytes * n.largestLayer : l.precision === "mixed" ? BYTES_HALF * n.params : 0;
  const perDeviceBatch = Math.ceil(l.batch / Math.max(1, l.gpus));
  const activations = perDeviceBatch * activationElements(spec, l.activationCheckpointing) * computeBytes;
  const total = weights + gradients + optimizer + working + activations + reserve;
  return { weights, gradients, optimizer, working, activations, reserve, total, perDeviceBatch };
}

/** Multiply-adds of one training step per image: forward + backward (2x forward), + a forward again when activations are checkpointed. */
export function trainingMacsPerImage(spec: PretrainSwavSpec, checkpointing: boolean): number {
  return (checkpointing ? 4 : 3) * countPretraining(spec).macsPerImage;
}

/** Seconds of a pretraining of `images` images on `gpus` devices of `a` (null for `cpu`, whose rate is measured: pass `cpuRate`, multiply-adds/s). */
export function trainingSeconds(spec: PretrainSwavSpec, l: Layout, images: number, a: Accelerator, cpuRate?: number): number | null {
  const macs = trainingMacsPerImage(spec, l.activationCheckpointing) * images;
  const peak = peakFor(a, l.precision);
  if (peak === null) return cpuRate ? macs / cpuRate : null;
  return (2 * macs) / (Math.max(1, l.gpus) * peak * UTILISATION);
}
