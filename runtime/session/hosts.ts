/**
 * Where a run's stages run: the hosts of an inventory (`--hosts FILE`), or this machine alone
 * (in the `seer` process with `--jobs 1`, in worker processes when several stages may run at
 * once). Returns what the scheduler needs: placement, retries and the executor.
 */
import path from "node:path";
import type { Stage } from "../../contract/graph.js";
import type { ProvenanceFacts } from "../exec/executors/context.js";
import { Dispatcher } from "../hosts/dispatch.js";
import type { Host, HostCapacity } from "../hosts/host.js";
import type { HostSpec, Inventory } from "../hosts/inventory.js";
import type { Prepared } from "./prepare.js";

export interface HostsSetup {
  p: Prepared;
  inventory?: Inventory;
  /** `--jobs`, when given. */
  jobs?: number;
  retries: number;
  runId: string;
  seer: string;
  /** The installed seer package (its `bin/seer.js` runs workers; remote hosts get a copy). */
  packageRoot: string;
  /** The bundled data-loader worker, when running from the CLI bundle. */
  workerUrl?: URL;
  /** A stage's estimated peak memory, when known (placement on hosts that state theirs). */
  memoryOf?(stage: Stage): number | undefined;
  /** Whether a stage fits in each device of the accelerator `hardware` (placement on hosts that name theirs). */
  fitsDevice?(stage: Stage, hardware: string): boolean | undefined;
  provenance(): ProvenanceFacts;
  note(stage: Stage, line: string): void;
}

function capacityOf(spec: HostSpec): HostCapacity {
  return { gpus: spec.gpus, ...(spec.memory !== undefined ? { memory: spec.memory } : {}), ...(spec.hardware !== undefined ? { hardware: spec.hardware } : {}), engines: spec.engines, maxJobs: spec.maxJobs, maxTraining: spec.kind === "slurm" ? spec.maxJobs : Math.max(1, spec.gpus) };
}

async function makeHost(spec: HostSpec, s: HostsSetup, memoryOf: (stage: Stage) => number | undefined): Promise<Host> {
  const projectDir = path.dirname(s.p.store.root);
  if (spec.kind === "local") {
    const { LocalHost } = await import("../hosts/local-host.js");
    return new LocalHost({ name: spec.name, capacity: capacityOf(spec), store: s.p.store, projectDir, baseDir: s.p.baseDir, backend: s.p.backend, engine: s.p.engine.choice, seer: s.seer, seerBin: path.join(s.packageRoot, "bin", "seer.js"), ...(s.workerUrl ? { workerUrl: s.workerUrl } : {}) });
  }
  const remote = { store: s.p.store, baseDir: path.resolve(s.p.baseDir), backend: s.p.backend.info, engine: { name: s.p.engine.choice.name, ...(spec.python ? { python: spec.python } : {}), ...(s.p.engine.choice.procs !== undefined ? { procs: s.p.engine.choice.procs } : {}), ...(s.p.engine.choice.nodes !== undefined ? { nodes: s.p.engine.choice.nodes } : {}) }, seer: s.seer, runId: s.runId, packageRoot: s.packageRoot };
  if (spec.kind === "ssh") {
    const { SshHost } = await import("../hosts/ssh-host.js");
    return new SshHost(spec, capacityOf(spec), remote);
  }
  const { SlurmHost } = await import("../hosts/slurm-host.js");
  return new SlurmHost(spec, capacityOf(spec), { ...remote, memoryOf });
}

export async function setupHosts(s: HostsSetup) {
  const specs: HostSpec[] = s.inventory?.hosts ?? [{ kind: "local", name: "local", gpus: s.p.backend.info.name === "tensorflow-gpu" ? 1 : 0, maxJobs: s.jobs ?? 1, engines: s.p.engine.torch ? ["tfjs", "torch"] : ["tfjs"] }];
  const memory = new Map<string, number | undefined>();
  const memoryOf = (stage: Stage) => {
    if (!memory.has(stage.name)) memory.set(stage.name, s.memoryOf?.(stage));
    return memory.get(stage.name);
  };
  const hosts = await Promise.all(specs.map((spec) => makeHost(spec, s, memoryOf)));
  const dispatcher = new Dispatcher({
    hosts,
    retries: s.retries,
    memoryOf,
    ...(s.fitsDevice ? { fitsDevice: s.fitsDevice } : {}),
    engine: s.p.engine.choice.name,
    ...(s.p.engine.choice.nodes !== undefined ? { nodes: s.p.engine.choice.nodes } : {}),
    provenance: s.provenance,
    note: s.note,
  });
  return {
    /** Stages at once: `--jobs`, else every host's slots. */
    jobs: s.jobs ?? hosts.reduce((a, h) => a + h.capacity.maxJobs, 0),
    place: dispatcher.place,
    retry: dispatcher.retry,
    execute: dispatcher.execute,
    close: () => dispatcher.close(),
  };
}
