/**
 * What `seer hosts test` learns from each host: whether it answers, Node and seer there,
 * platform, GPUs (nvidia-smi, 5 s timeout), free disk at the work folder, and for Slurm the
 * version and partition state. One command per host, a constant script with quoted arguments.
 */
import { execa } from "execa";
import { statfsSync } from "node:fs";
import { describeMissing, findTorch, searchTorch, type ScriptRunner, type TorchSearch } from "../engines/torch/python.js";
import type { HostSpec } from "./inventory.js";
import { installPayload } from "./install.js";
import { lastLine, type Remote } from "./remote.js";
import { script } from "./shell.js";
import { remoteFor } from "./ssh.js";
import { remoteDir } from "./workspace.js";

export interface PartitionState {
  name: string;
  default: boolean;
  available: string;
  nodes: number;
  state: string;
  gres: string;
  cpus: string;
  memory_mb: string;
}

export interface HostReport {
  name: string;
  kind: HostSpec["kind"];
  ok: boolean;
  seconds: number;
  via?: string;
  node?: string;
  /** The exact build this seer would use there, and the version it reports when installed. */
  seer?: { id: string; installed: boolean; version?: string };
  platform?: string;
  gpus: { name: string; memory_mb: number }[];
  disk_free_bytes?: number;
  slurm?: { version: string; partitions: PartitionState[] };
  /** For a host that lists the torch engine: its torch, or why there is none (which fails the host). */
  torch?: { python: string; version: string; cuda: string | null; devices: number } | { error: string };
  error?: string;
}

/** The probe script over the host's shell. */
const remoteRunner = (remote: Remote): ScriptRunner => async (python, body, timeoutMs) => {
  const r = await remote.exec([python, "-c", body], { timeoutMs });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
};

function torchReport(s: TorchSearch): NonNullable<HostReport["torch"]> {
  return s.found ? { python: s.probe.python, version: s.probe.torch, cuda: s.probe.cuda, devices: s.probe.devices.length } : { error: `no Python with torch 1.13 or newer (tried ${describeMissing(s.missing)})` };
}

/** Looks for torch on a host that lists the engine: its `python`, else /usr/bin/python3, then python3 (here, SEER_PYTHON first). */
async function probeTorch(spec: HostSpec, r: HostReport, remote?: Remote): Promise<void> {
  if (!spec.engines.includes("torch")) return;
  const s = remote ? await searchTorch([...new Set([...(spec.python ? [spec.python] : []), "/usr/bin/python3", "python3"])], remoteRunner(remote)) : await findTorch(spec.python ? { python: spec.python } : {});
  r.torch = torchReport(s);
  if ("error" in r.torch && r.ok) {
    r.ok = false;
    r.error = `the torch engine: ${r.torch.error}`;
  }
}

const PROBE = `W=$1; ID=$2; NODE=$3; PART=$4; KIND=$5
printf 'node %s\\n' "$("$NODE" --version 2>/dev/null)"
if [ -f "$W/seer/$ID/.complete" ]; then printf 'seer %s\\n' "$("$NODE" "$W/seer/$ID/bin/seer.js" --version 2>/dev/null)"; fi
printf 'platform %s\\n' "$(uname -sm)"
d=$W; while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done
printf 'disk %s\\n' "$(df -Pk -- "$d" | awk 'NR==2 {print $4}')"
if command -v nvidia-smi >/dev/null 2>&1; then timeout 5 nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits 2>/dev/null | sed 's/^/gpu /'; fi
if [ "$KIND" = slurm ]; then
  printf 'slurm %s\\n' "$(sbatch --version 2>/dev/null)"
  if [ -n "$PART" ]; then sinfo -h -p "$PART" -o 'partition %P|%a|%D|%t|%G|%c|%m' 2>&1; else sinfo -h -o 'partition %P|%a|%D|%t|%G|%c|%m' 2>&1; fi
fi`;

function parseProbe(stdout: string, r: HostReport): void {
  for (const line of stdout.split("\n")) {
    const sp = line.indexOf(" ");
    const [tag, rest] = sp > 0 ? [line.slice(0, sp), line.slice(sp + 1).trim()] : [line, ""];
    if (tag === "node" && rest) r.node = rest;
    else if (tag === "seer" && r.seer) r.seer = { ...r.seer, installed: true, version: rest };
    else if (tag === "platform") r.platform = rest;
    else if (tag === "disk" && /^\d+$/.test(rest)) r.disk_free_bytes = Number(rest) * 1024;
    else if (tag === "gpu") {
      const [name, mem] = rest.split(",").map((x) => x.trim());
      r.gpus.push({ name: name ?? "?", memory_mb: Number(mem) });
    } else if (tag === "slurm") r.slurm = { version: rest.replace(/^slurm(-wlm)?\s*/, ""), partitions: r.slurm?.partitions ?? [] };
    else if (tag === "partition" && r.slurm) {
      const [name, available, nodes, state, gres, cpus, memory] = rest.split("|");
      r.slurm.partitions.push({ name: (name ?? "").replace(/\*$/, ""), default: (name ?? "").endsWith("*"), available: available ?? "", nodes: Number(nodes), state: state ?? "", gres: gres ?? "", cpus: cpus ?? "", memory_mb: memory ?? "" });
    }
  }
}

async function probeLocal(r: HostReport, seer: string): Promise<void> {
  r.node = process.version;
  r.seer = { id: "this installation", installed: true, version: seer };
  r.platform = `${process.platform} ${process.arch}`;
  const fs = statfsSync(".");
  r.disk_free_bytes = fs.bavail * fs.bsize;
  const smi = await execa("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"], { reject: false, timeout: 5000, encoding: "utf8" });
  if (smi.exitCode === 0) parseProbe(smi.stdout.split("\n").map((l) => `gpu ${l}`).join("\n"), r);
}

export async function probeHost(spec: HostSpec, o: { packageRoot: string; seer: string; install?(spec: Exclude<HostSpec, { kind: "local" }>, remote: Remote): Promise<void> }): Promise<HostReport> {
  const t0 = performance.now();
  const r: HostReport = { name: spec.name, kind: spec.kind, ok: false, seconds: 0, gpus: [] };
  if (spec.kind === "local") {
    await probeLocal(r, o.seer);
    r.ok = true;
    await probeTorch(spec, r);
  } else {
    const remote = remoteFor(spec);
    r.via = remote.label;
    try {
      if (o.install) await o.install(spec, remote);
      const id = installPayload(o.packageRoot, o.seer).id;
      r.seer = { id, installed: false };
      const res = await remote.exec(script(PROBE, [remoteDir(spec.workdir), id, spec.node, spec.kind === "slurm" ? (spec.partition ?? "") : "", spec.kind]), { timeoutMs: 30_000 });
      if (res.code !== 0) r.error = lastLine(res.stderr) || `exit ${res.code}`;
      else {
        parseProbe(res.stdout, r);
        if (!r.node) r.error = `\`${spec.node}\` does not run there`;
        else if (spec.kind === "slurm" && !r.slurm?.version) r.error = "`sbatch` does not run there";
        else if (spec.kind === "slurm" && r.slurm?.partitions.some((p) => !p.name || p.available === "")) r.error = "`sinfo` failed";
        else r.ok = true;
        if (r.ok) await probeTorch(spec, r, remote);
      }
    } catch (e) {
      r.error = e instanceof Error ? e.message : String(e);
    } finally {
      await remote.close();
    }
  }
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}
