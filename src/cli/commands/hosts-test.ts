/**
 * `seer hosts test FILE`: connect to every host of an inventory and report what is there:
 * Node and seer versions, platform, GPUs, free disk at the work folder, Slurm's version and
 * partition state. `--install` copies this seer build to hosts that lack it. Exit 0 when every
 * host answers, 3 when one does not, 1 for errors in the file.
 */
import { packageRoot } from "../../../compiler/modules/std.js";
import { gib } from "../../../runtime/backend/doctor.js";
import type { HostReport } from "../../../runtime/hosts/probe.js";
import { EXIT } from "../errors.js";
import type { ColorMode } from "../output.js";
import { SEER_VERSION } from "../version.js";
import { loadInventory } from "./hosts.js";

function describe(r: HostReport): string {
  const head = `${r.name} (${r.kind}${r.via ? ` via ${r.via}` : ""}): ${r.ok ? "ok" : "FAILED"} in ${r.seconds.toFixed(2)} s`;
  if (!r.ok) return `${head}\n  ${r.error ?? "no answer"}`;
  const seer = r.seer?.installed ? `seer ${r.seer.version}${r.kind === "local" ? "" : ` (build ${r.seer.id})`}` : `seer not installed (build ${r.seer?.id} is copied on first use, or now with --install)`;
  const lines = [head, `  node ${r.node}, ${seer}, ${r.platform ?? "?"}`, `  GPUs: ${r.gpus.length ? r.gpus.map((g) => `${g.name} (${g.memory_mb} MiB)`).join(", ") : "none"}; free disk: ${r.disk_free_bytes !== undefined ? gib(r.disk_free_bytes) : "?"}`];
  if (r.torch) lines.push(`  torch: ${"error" in r.torch ? r.torch.error : `${r.torch.version} with ${r.torch.python}, CUDA ${r.torch.cuda ?? "none"}${r.torch.devices > 0 ? ` (${r.torch.devices} device(s))` : ""}`}`);
  if (r.slurm) lines.push(`  slurm ${r.slurm.version}; ${r.slurm.partitions.map((p) => `partition ${p.name}: ${p.available}, ${p.nodes} node(s) ${p.state}, ${p.cpus} CPUs, ${p.memory_mb} MB, gres ${p.gres}`).join("; ") || "no partitions"}`);
  return lines.join("\n");
}

export async function runHostsTest(file: string, o: { json: boolean; install: boolean; color: ColorMode }): Promise<number> {
  const inventory = loadInventory(file, o.color);
  if (typeof inventory === "number") return inventory;
  const { probeHost } = await import("../../../runtime/hosts/probe.js");
  const { Workspace } = await import("../../../runtime/hosts/workspace.js");
  const setup = { seer: SEER_VERSION, runId: "hosts-test", packageRoot: packageRoot() };
  const reports = await Promise.all(
    inventory.hosts.map((spec) =>
      probeHost(spec, {
        packageRoot: setup.packageRoot,
        seer: SEER_VERSION,
        ...(o.install ? { install: async (s, remote) => void (await new Workspace(s.name, remote, s.workdir, s.node, setup).open()) } : {}),
      }),
    ),
  );
  if (o.json) process.stdout.write(`${JSON.stringify({ version: 1, hosts: reports }, null, 2)}\n`);
  else process.stdout.write(`${reports.map(describe).join("\n")}\n`);
  return reports.every((r) => r.ok) ? EXIT.ok : EXIT.runtime;
}
