/**
 * A machine reached over SSH: each stage is sent as a job into the host's work folder and run
 * there by one of the host's long-lived `seer stage-exec --serve` workers (one per slot, over
 * the shared connection), its events streamed back as they come.
 */
import type { ExpectedFiles } from "../exec/store.js";
import { AgentLostError, AgentPool } from "./agents.js";
import type { SshSpec } from "./inventory.js";
import { StageFailedError, type Host, type HostCapacity, type StageRun } from "./host.js";
import { remoteFor } from "./ssh.js";
import { Workspace, type RemoteSetup } from "./workspace.js";

export class SshHost implements Host {
  readonly kind = "ssh" as const;
  readonly name: string;
  readonly ws: Workspace;
  private readonly agents: AgentPool;

  constructor(
    spec: SshSpec,
    readonly capacity: HostCapacity,
    private readonly setup: RemoteSetup,
  ) {
    this.name = spec.name;
    this.ws = new Workspace(spec.name, remoteFor(spec), spec.workdir, spec.node, setup);
    this.agents = new AgentPool(() => this.ws.remote.spawn([...this.ws.seer(), "stage-exec", "--serve"], { cwd: this.ws.dir }));
  }

  holds(key: string): boolean {
    return this.ws.holds(key);
  }

  async run(job: StageRun): Promise<ExpectedFiles> {
    const sent = await this.ws.send(job, this.setup, { viaAgent: true });
    let result;
    try {
      result = await this.agents.run(sent.dir, job, sent.job);
    } catch (e) {
      if (!(e instanceof AgentLostError)) throw e;
      throw (await this.ws.down(e.exitCode === 255, e.message)) ?? new StageFailedError(`on ${this.name}: ${e.message}`);
    }
    if (!result.ok) throw new StageFailedError(result.error);
    return this.ws.fetch(job, result);
  }

  async close(): Promise<void> {
    await this.agents.close();
    await this.ws.close();
  }
}
