import type { SlurmSpec } from "./inventory.js";
import type { Host, HostCapacity, StageRun } from "./host.js";
import type { RemoteSetup } from "./workspace.js";
export class SlurmHost implements Host {
  readonly kind = "slurm" as const;
  readonly name: string;
  constructor(spec: SlurmSpec, readonly capacity: HostCapacity, _s: RemoteSetup) { this.name = spec.name; }
  holds(): boolean { return false; }
  async run(_job: StageRun): Promise<void> { throw new Error("not yet"); }
  async close(): Promise<void> {}
}
