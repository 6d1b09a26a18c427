/**
 * Long-lived workers: `seer stage-exec --serve` reads job folders from its standard input and
 * runs them one after another, so TensorFlow.js and the backend load once per slot rather than
 * once per stage. A host keeps up to `max_jobs` of them (in worker processes here, over the
 * shared ssh connection there); their events carry the job folder they belong to. When an
 * agent's input closes (the run ends, the connection drops) it cancels what it runs and exits.
 */
import { EventFollower, LineBuffer } from "./events.js";
import type { StageRun } from "./host.js";
import { jsonLine, type JobResult, type StageJob } from "./job.js";
import { lastLine, type Streaming } from "./remote.js";

/** How long a cancelled job gets to save its checkpoint before its agent is stopped. */
const CANCEL_GRACE_MS = 30_000;

interface Running {
  dir: string;
  events: EventFollower;
  resolve(r: JobResult | undefined): void;
}

interface Agent {
  proc: Streaming;
  running?: Running;
  exited: boolean;
  exitCode?: number;
  stderr: string;
}

/** An agent ended while it ran a job: the process exited (or its connection closed). */
export class AgentLostError extends Error {
  constructor(
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(`the worker ended while running the stage (${exitCode === undefined ? "killed" : `exit ${exitCode}`})${stderr ? `: ${lastLine(stderr)}` : ""}`);
    this.name = "AgentLostError";
  }
}

export class AgentPool {
  private readonly agents = new Set<Agent>();

  constructor(private readonly start: () => Streaming) {}

  private spawn(): Agent {
    const agent: Agent = { proc: this.start(), exited: false, stderr: "" };
    const lines = new LineBuffer();
    const route = (line: string) => {
      const json = jsonLine(line.trim());
      const job = (json as { job?: unknown } | undefined)?.job;
      const r = agent.running;
      if (!r || (job !== undefined && job !== r.dir)) return;
      r.events.handle(line, json);
      if (r.events.result) {
        agent.running = undefined;
        r.resolve(r.events.result);
      }
    };
    agent.proc.stdout.on("data", (c: string) => lines.push(c).forEach(route));
    agent.proc.stderr.on("data", (c: string) => (agent.stderr = (agent.stderr + c).slice(-4000)));
    void agent.proc.then((res) => {
      agent.exited = true;
      if (res.exitCode !== undefined) agent.exitCode = res.exitCode;
      lines.end().forEach(route);
      this.agents.delete(agent);
      agent.running?.resolve(undefined);
      agent.running = undefined;
    });
    this.agents.add(agent);
    return agent;
  }

  /**
   * Runs one job folder on an idle agent (a new one when all are busy); AgentLostError when the
   * agent ends first. With `write`, the agent writes the job folder's job.json itself first.
   */
  async run(dir: string, job: Pick<StageRun, "log" | "progress" | "signal">, write?: StageJob): Promise<JobResult> {
    const agent = [...this.agents].find((a) => !a.running && !a.exited) ?? this.spawn();
    const events = new EventFollower(job);
    let timer: NodeJS.Timeout | undefined;
    const cancel = () => {
      if (!agent.exited) agent.proc.stdin.write(`${JSON.stringify({ cancel: dir })}\n`);
      timer = setTimeout(() => agent.proc.kill("SIGTERM"), CANCEL_GRACE_MS);
    };
    const result = await new Promise<JobResult | undefined>((resolve) => {
      agent.running = { dir, events, resolve };
      agent.proc.stdin.write(`${JSON.stringify({ run: dir, ...(write ? { job: write } : {}) })}\n`);
      job.signal.addEventListener("abort", cancel);
    });
    job.signal.removeEventListener("abort", cancel);
    clearTimeout(timer);
    if (result) return result;
    throw new AgentLostError(agent.exitCode, agent.stderr);
  }

  /** Ends every agent: input closed, then stopped if it lingers. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.agents].map(async (a) => {
        a.proc.stdin.end();
        const t = setTimeout(() => a.proc.kill("SIGTERM"), 5000);
        await a.proc;
        clearTimeout(t);
      }),
    );
  }
}
