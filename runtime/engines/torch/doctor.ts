/**
 * `seer doctor`'s view of the torch engine: the probe (interpreter, torch and torchvision,
 * CUDA, devices, gloo/nccl, FSDP), whether torchrun is usable (torch 2 or newer: on Debian's
 * 1.13 it crashes), and the plain word on GPUs that the tfjs engine cannot serve.
 */
import { atLeast } from "./probe-script.js";
import { describeMissing, findTorch, TORCH_INSTALL_HINT, type TorchProbe, type TorchSearch } from "./python.js";

export type TorchEngineFacts = { found: true; probe: TorchProbe; torchrun: boolean } | { found: false; tried: TorchProbe["tried"]; install: string };

export function torchFacts(s: TorchSearch): TorchEngineFacts {
  return s.found ? { found: true, probe: s.probe, torchrun: atLeast(s.probe.torch, [2, 0]) } : { found: false, tried: s.missing.tried, install: TORCH_INSTALL_HINT };
}

export async function collectTorchEngine(search: () => Promise<TorchSearch> = () => findTorch()): Promise<TorchEngineFacts> {
  return torchFacts(await search());
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/** The doctor's lines for the torch engine (indented under "engines"). */
export function formatTorchEngine(t: TorchEngineFacts): string[] {
  if (!t.found) return [`  torch     not available: ${describeMissing({ tried: t.tried })}`, `            to use it: ${t.install}`];
  const p = t.probe;
  return [
    `  torch     ${p.torch} (torchvision ${p.torchvision ?? "not installed"}) with ${p.python} (Python ${p.pythonVersion})`,
    `            CUDA: ${p.cuda ?? (p.cudaBuild ? `built for ${p.cudaBuild}, but no GPU is usable` : "none (a CPU build)")}${p.devices.length > 0 ? `; ${p.devices.map((d) => `${d.name} (${gib(d.memoryBytes)})`).join(", ")}` : ""}`,
    `            distributed: ${p.distributed ? `gloo ${p.gloo ? "yes" : "no"}, nccl ${p.nccl ? "yes" : "no"}` : "not available"}; FSDP: ${p.fsdp.ok ? "yes" : `no (${p.fsdp.reason ?? "?"})`}; torchrun: ${t.torchrun ? "yes" : "no (needs torch 2 or newer)"}`,
  ];
}

/** Hopper GPUs (sm_90): libtensorflow 2.9.1 for CUDA 11.2, under tfjs-node-gpu, has no kernels for them. */
export const isHopper = (gpuName: string): boolean => /\b(GH|H)(100|200)\b/i.test(gpuName);

/** What to say when a GPU is visible but the tfjs engine cannot use it. */
export function gpuEngineHints(gpus: readonly string[], tfjsGpu: boolean, torch: TorchEngineFacts): string[] {
  if (gpus.length === 0) return [];
  const torchGpu = torch.found && torch.probe.devices.length > 0;
  const hopper = gpus.filter(isHopper);
  const use = torchGpu ? "use `--engine torch` (torch sees the GPU here)" : "use `--engine torch` with a CUDA build of torch";
  if (hopper.length > 0) return [`${hopper[0]} is a Hopper GPU (sm_90): tfjs-node-gpu's libtensorflow 2.9.1 for CUDA 11.2 cannot run on it, so the tfjs engine computes on the CPU here. For SwAV pretraining on the GPU, ${use}.`];
  if (!tfjsGpu) return [`A GPU is visible but the tfjs engine cannot use it (tfjs-node-gpu is not installed or did not load). For SwAV pretraining on the GPU, ${use}.`];
  return [];
}
