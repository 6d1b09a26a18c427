/**
 * The accelerators seer can plan for (`seer plan --hardware NAME`, `seer run --hardware NAME`,
 * a host's `hardware` in hosts.yaml): the one table of their numbers, and the one utilisation
 * factor the cost model applies to them. docs/cost-model.md explains every number and the model
 * that uses them (compiler/cost/).
 *
 * Throughput is the vendor datasheet's peak *dense* rate (without 2:4 structured sparsity, which
 * the datasheets of A100 and later quote by default at twice these figures), in FLOP/s where one
 * multiply-add is two FLOPs. Memory is the datasheet capacity read in GiB (2^30 bytes).
 */

/** Peak dense throughput by compute precision, FLOP/s. */
export interface PeakThroughput {
  /** Plain fp32 (CUDA cores). */
  fp32: number;
  /** TF32 tensor cores: what PyTorch's convolutions use for fp32 tensors on Ampere and later (cuDNN's default); null where the chip has none. */
  tf32: number | null;
  /** fp16/bf16 tensor cores: mixed precision. */
  half: number;
}

export interface Accelerator {
  /** What `--hardware` and hosts.yaml take: lower case. */
  name: string;
  /** The product, as its datasheet names it. */
  label: string;
  /** Memory per device, bytes; null for `cpu`, whose memory is this machine's (measured when used). */
  memoryBytes: number | null;
  /** Null for `cpu`, whose rate is measured (the backend's matmul calibration). */
  peak: PeakThroughput | null;
  /** Where the numbers come from. */
  source: string;
}

const GiB = 2 ** 30;
const T = 1e12;
/** A100 (40 and 80 GB) and H100/H200 (SXM) share their dense peaks per precision. */
const AMPERE = { fp32: 19.5 * T, tf32: 156 * T, half: 312 * T };
const AMPERE_SOURCE = "FP32 19.5 TFLOPS, TF32 156, BF16/FP16 312";
const HOPPER = { fp32: 67 * T, tf32: 494.5 * T, half: 989.5 * T };
const HOPPER_SOURCE = "FP32 67 TFLOPS, TF32 989 and BF16/FP16 1,979 with sparsity, half that dense";

/**
 * The fraction of the peak dense rate a data-parallel convolutional-network training step
 * reaches end to end (data loading, communication and small kernels included). Derived, not
 * fitted to any SEER run: NVIDIA's published ResNet-50 v1.5 training throughput (PyTorch,
 * mixed precision, 8 GPUs; DeepLearningExamples, NGC pytorch-21.03) is 8,056 img/s on 8
 * V100-32GB and 16,621 img/s on 8 A100-80GB. At 4.1 G multiply-adds per 224 px image forward,
 * a training step (forward + backward = 3x forward) is 24.5 GFLOP per image, so the GPUs ran at
 * 24.7 TFLOP/s of 125 (19.7%) and 50.9 of 312 (16.3%); the mean, 18%, is this factor.
 */
export const UTILISATION = 0.18;

/** Device memory that training cannot use: the CUDA context, cuDNN/cuBLAS workspaces, allocator slack. */
export const DEVICE_RESERVE_BYTES = 1 * GiB;

export const HARDWARE: readonly Accelerator[] = [
  {
    name: "v100-32gb",
    label: "NVIDIA V100 32GB (SXM2)",
    memoryBytes: 32 * GiB,
    peak: { fp32: 15.7 * T, tf32: null, half: 125 * T },
    source: "NVIDIA V100 Tensor Core GPU datasheet (SXM2): 15.7 TFLOPS single precision, 125 TFLOPS tensor (fp16)",
  },
  {
    name: "a100-40gb",
    label: "NVIDIA A100 40GB (SXM4)",
    memoryBytes: 40 * GiB,
    peak: AMPERE,
    source: `NVIDIA A100 Tensor Core GPU datasheet: ${AMPERE_SOURCE} (dense; 312/624 with sparsity)`,
  },
  {
    name: "a100-80gb",
    label: "NVIDIA A100 80GB (SXM4)",
    memoryBytes: 80 * GiB,
    peak: AMPERE,
    source: `NVIDIA A100 Tensor Core GPU datasheet: ${AMPERE_SOURCE} (dense)`,
  },
  {
    name: "h100-80gb",
    label: "NVIDIA H100 80GB (SXM5)",
    memoryBytes: 80 * GiB,
    peak: HOPPER,
    source: `NVIDIA H100 Tensor Core GPU datasheet (SXM): ${HOPPER_SOURCE}`,
  },
  {
    name: "h200-141gb",
    label: "NVIDIA H200 141GB (SXM)",
    memoryBytes: 141 * GiB,
    peak: HOPPER,
    source: `NVIDIA H200 Tensor Core GPU datasheet (SXM): ${HOPPER_SOURCE}; 141 GB HBM3e`,
  },
  {
    name: "cpu",
    label: "this machine's CPU (the tfjs backend)",
    memoryBytes: null,
    peak: null,
    source: "measured: the backend's matmul rate (.seer/cache/calibration.json) times an assumed convolution efficiency, and this machine's memory",
  },
];

export const HARDWARE_NAMES: readonly string[] = HARDWARE.map((h) => h.name);

/** The accelerator named `name` (case-insensitive), or undefined. */
export function acceleratorByName(name: string): Accelerator | undefined {
  const n = name.trim().toLowerCase();
  return HARDWARE.find((h) => h.name === n);
}

/** The rate a stage computes at on `a`: mixed precision on the half-precision tensor cores, fp32 on TF32 where the chip has it (as PyTorch's convolutions do by default). */
export function peakFor(a: Accelerator, precision: "fp32" | "mixed"): number | null {
  if (!a.peak) return null;
  return precision === "mixed" ? a.peak.half : (a.peak.tf32 ?? a.peak.fp32);
}
