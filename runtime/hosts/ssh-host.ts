/**
 * A machine reached over SSH: each stage is sent as a job into the host's work folder and run
 * there by `seer stage-exec` over the shared connection, its events streamed back as they
 * come; closing the connection's input cancels it (a pretraining saves a checkpoint first).
 */
import type { SshSpec } from "./inventory.js";
import { EventFollower } from "./events.js";
import { HostDownError, StageFailedError, type Host, type HostCapacity, type StageRun } from "./host.js";
import { lastLine } from "./remote.js";
import { remoteFor } from "./ssh.js";
import { Workspace, type RemoteSetup } from "./workspace.js";

/** How long a cancelled worker gets to save its checkpoint before the connection is cut. */
const CANCEL_GRACE_MS = 30_000;

export class SshHost implements Host {
  readonly kind = "ssh" as const;
  readonly name: string;
  readonly ws: Workspace;

  constructor(
    spec: SshSpec,
    readonly capacity: HostCapacity,
    private readonly setup: RemoteSetup,
  ) {
    this.name = spec.name;
    this.ws = new Workspace(spec.name, remoteFor(spec), spec.workdir, spec.node, setup);
  }

  holds(key: string): boolean {
    return this.ws.holds(key);
  }

  async run(job: StageRun): Promise<void> {
    const jobDir = await this.ws.send(job, this.setup);
    const child = this.ws.remote.spawn([...this.ws.seer(), "stage-exec", "--watch-stdin", jobDir], { cwd: this.ws.dir });
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      child.stdin.end();
      timer = setTimeout(() => child.kill("SIGTERM"), CANCEL_GRACE_MS);
    };
    job.signal.addEventListener("abort", stop);
    const events = new EventFollower(job);
    child.stdout.on("data", (c: string) => events.push(c));
    const r = await child;
    job.signal.removeEventListener("abort", stop);
    clearTimeout(timer);
    events.end();
    const result = events.result;
    if (!result) {
      if (r.exitCode === 255 && !(await this.ws.remote.alive())) throw new HostDownError(this.name, lastLine(r.stderr) || "the connection closed");
      throw new StageFailedError(`the worker on ${this.name} ended without a result (${r.signalDescription ?? `exit ${r.exitCode}`})${r.stderr.trim() ? `: ${lastLine(r.stderr)}` : ""}`);
    }
    if (!result.ok) throw new StageFailedError(result.error);
    await this.ws.fetch(job, result);
  }

  close(): Promise<void> {
    return this.ws.close();
  }
}
