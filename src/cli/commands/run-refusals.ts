/**
 * What `seer run` refuses before anything starts (exit 3): data that is not what a reproduced
 * record read, pretrainings that do not fit their devices, and settings no engine here carries out.
 */
import type { Compilation } from "../../../compiler/compile.js";
import { acceleratorByName, type Accelerator } from "../../../contract/hardware.js";
import { isKind } from "../../../contract/graph.js";
import type { Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import { runsOnEngine } from "../../../runtime/engines/engine.js";
import type { Prepared } from "../../../runtime/session/prepare.js";
import { costTarget, estimate } from "./estimate.js";
import { overflowDiagnostic } from "./job.js";

/** The stages this run would start (not taken from the cache). */
function toRun(p: Prepared): Set<string> {
  return new Set(p.plan.filter((d) => d.action === "run").map((d) => d.stage.name));
}

/** The datasets whose data is not what the record read (fingerprints differ), each as a line that says where and how. */
export function changedData(p: Prepared, expect: ReadonlyMap<string, string>): string[] {
  return [...expect].flatMap(([name, recorded]) => {
    const now = p.fingerprints.get(`data/${name}`);
    if (now === undefined || now === recorded) return [];
    const where = p.locations.get(`data/${name}`);
    const images = p.sizes.get(name);
    const stage = p.graph.stages.find((s) => s.name === `data/${name}`);
    const byTimes = stage !== undefined && isKind(stage, "prepare-data") && stage.spec.kind !== "synthetic" && !stage.spec.content_hash;
    const times = byTimes ? "; this dataset's fingerprint includes file times, so a copy must keep them (cp -p, rsync -a), or declare `content_hash = true`" : "";
    return [`the data of dataset ${name}${where ? ` at ${where}` : ""} is not what the recorded run read: fingerprint ${now}${images !== undefined ? ` (${images} images)` : ""}, recorded ${recorded}; a file was added, removed or changed (point at the recorded data with --data ${name}=PATH)${times}`];
  });
}

/**
 * Pretrainings this run would start that do not fit in their devices' memory (SEER6006), checked
 * before anything runs: on `--hardware`, else on this machine's CPU when the stages compute there
 * (tfjs on a CPU backend, or torch without CUDA). With an inventory, placement checks each host instead.
 */
export function memoryRefusals(c: Compilation, p: Prepared, hardware: Accelerator | undefined, hosts: boolean): Diagnostic[] {
  const onCpu = p.backend.info.name !== "tensorflow-gpu" && !(p.engine.torch?.cuda);
  const target = hardware ?? (!hosts && onCpu ? acceleratorByName("cpu") : undefined);
  if (!target) return [];
  const run = toRun(p);
  return estimate(p, costTarget(p, target, false)).overflows.filter((x) => run.has(x.stage.name)).flatMap((x) => overflowDiagnostic(c, x) ?? []);
}

/**
 * Pretrainings this run would start with settings no engine here carries out: sharded states
 * (FSDP) on any engine, activation checkpointing on tfjs. Refused before anything runs, never
 * silently ignored (a plan still counts them: they describe the run a plan is for).
 */
export function unsupportedSettings(p: Prepared): string[] {
  const run = toRun(p);
  return p.graph.stages.flatMap((s) => {
    if (!isKind(s, "pretrain-swav") || !run.has(s.name)) return [];
    const out: string[] = [];
    if (s.spec.sharding === "full") {
      const torch = p.engine.torch?.torch;
      const needs = torch !== undefined && Number(torch.split(".")[0]) < 2 ? `; it will need torch >= 2 (this one is ${torch})` : "";
      out.push(`${s.name}: sharding = full (FSDP) is not carried out by seer's engines yet${needs}; \`seer plan --hardware\` counts it, but to run here set sharding = none`);
    }
    if (s.spec.activation_checkpointing && runsOnEngine(s, p.engine.choice.name) !== "torch") {
      out.push(`${s.name}: activation checkpointing runs on the torch engine only; use --engine torch (or engine = torch in the recipe), or set activation_checkpointing = false`);
    }
    return out;
  });
}
