/**
 * A machine reached over SSH: each stage is sent as a job into the host's work folder and run
 * there by one of the host's long-lived `seer stage-exec --serve` workers (one per slot, over
 * the shared connection), its events streamed back as they come.
 */
import type { ExpectedFiles } from "../exec/store.js";
import { AgentLostError, AgentPool } from "./agents.js";
import type { SshSpec } from "./inventory.js";
import type { NodeGroup } from "../engines/engine.js";
import { StageFailedError, type HostCapacity, type NodeHost, type StageRun } from "./host.js";
import { remoteFor } from "./ssh.js";
import { Workspace, type RemoteSetup } from "./workspace.js";

export class SshHost implements NodeHost {
  readonly kind = "ssh" as const;
  readonly name: string;
  readonly reachAt: string;
  readonly ws: Workspace;
  private readonly agents: AgentPool;

  constructor(
    spec: SshSpec,
    readonly capacity: HostCapacity,
    private readonly setup: RemoteSetup,
  ) {
    this.name = spec.name;
    this.reachAt = spec.ssh.address.slice(spec.ssh.address.lastIndexOf("@") + 1);
    this.ws = new Workspace(spec.name, remoteFor(spec), spec.workdir, spec.node, setup);
    this.agents = new AgentPool(() => this.ws.remote.spawn([...this.ws.seer(), "stage-exec", "--serve"], { cwd: this.ws.dir }));
  }

  holds(key: string): boolean {
    return this.ws.holds(key);
  }

  async run(job: StageRun): Promise<ExpectedFiles> {
    const r = await this.runAs(job);
    if (!r) throw new StageFailedError(`${this.name} returned no outputs`);
    return r;
  }

  runNode(job: StageRun, group: NodeGroup): Promise<ExpectedFiles | undefined> {
    return this.runAs(job, group);
  }

  /** One attempt; as a node other than 0 of a process group, nothing comes back but success. */
  private async runAs(job: StageRun, group?: NodeGroup): Promise<ExpectedFiles | undefined> {
    const sent = await this.ws.send(job, this.setup, { viaAgent: true, ...(group ? { group } : {}) });
    let result;
    try {
      result = await this.agents.run(sent.dir, job, sent.job);
    } catch (e) {
      if (!(e instanceof AgentLostError)) throw e;
      throw (await this.ws.down(e.exitCode === 255, e.message)) ?? new StageFailedError(`on ${this.name}: ${e.message}`);
    }
    if (!result.ok) throw new StageFailedError(result.error);
    if (group && group.node > 0) return undefined;
    return this.ws.fetch(job, result);
  }

  async close(): Promise<void> {
    await this.agents.close();
    await this.ws.close();
  }
}
