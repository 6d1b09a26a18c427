/**
 * A Slurm cluster: `sbatch`, `squeue` and `scancel` run over ssh on the login node (or here,
 * without `login`); the work folder must be visible to the compute nodes. Stages that become
 * ready within a short window with the same request are submitted together as one job array.
 * One poller per cluster asks `squeue` for every job of this run, and reads each running
 * job's new events; nothing waits with `sbatch --wait`. A job that Slurm requeues (or that is
 * preempted and requeued) simply runs again and resumes from the stage's last checkpoint.
 */
import { randomBytes } from "node:crypto";
import type { ExpectedFiles } from "../exec/store.js";
import type { SlurmSpec } from "./inventory.js";
import { EventFollower } from "./events.js";
import { HostDownError, StageFailedError, type Host, type HostCapacity, type StageRun } from "./host.js";
import { EVENTS_FILE, parseResult, RESULT_FILE } from "./job.js";
import { lastLine } from "./remote.js";
import { script } from "./shell.js";
import { batchScript, jobName, parseQueue, parseSubmitted, phaseOf, queueArgs, requestFor, requestKey, type BatchRequest, type QueuedJob } from "./slurm.js";
import { remoteFor } from "./ssh.js";
import { Workspace, type RemoteSetup } from "./workspace.js";

/**
 * Stages that become ready within this window with the same request share one job array. The
 * window also waits for stages whose job folders are still being copied to the cluster (each
 * copy takes its own time), up to `MAX_BATCH_WAIT_MS` after the first stage was queued.
 */
const BATCH_WINDOW_MS = 300;
const MAX_BATCH_WAIT_MS = 10_000;
/** Consecutive failed status checks before the cluster counts as down. */
const MAX_POLL_FAILURES = 5;

interface Tracked {
  run: StageRun;
  /** What the stage asks Slurm for (stages with the same request share a job array). */
  request: BatchRequest;
  jobDir: string;
  /** `123` or `123_4` once submitted. */
  id?: string;
  offset: number;
  events: EventFollower;
  restarts: number;
  settle(error?: Error): void;
}

export interface SlurmHostOptions extends RemoteSetup {
  memoryOf?(stage: StageRun["stage"]): number | undefined;
}

export class SlurmHost implements Host {
  readonly kind = "slurm" as const;
  readonly name: string;
  readonly ws: Workspace;
  private readonly tracked = new Set<Tracked>();
  private queue: Tracked[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** When the oldest stage waiting in `queue` was queued. */
  private queuedAt: number | undefined;
  /** Stages whose job folders are being copied to the cluster. */
  private sending = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private failures = 0;

  constructor(
    private readonly spec: SlurmSpec,
    readonly capacity: HostCapacity,
    private readonly o: SlurmHostOptions,
  ) {
    this.name = spec.name;
    this.ws = new Workspace(spec.name, remoteFor(spec), spec.workdir, spec.node, o);
  }

  holds(key: string): boolean {
    return this.ws.holds(key);
  }

  async run(run: StageRun): Promise<ExpectedFiles> {
    this.sending++;
    let jobDir: string;
    try {
      ({ dir: jobDir } = await this.ws.send(run, this.o, { viaAgent: false }));
    } finally {
      this.sending--;
    }
    const request = requestFor(this.spec, run.stage, this.o.memoryOf?.(run.stage), this.o.engine);
    let t!: Tracked;
    const done = new Promise<void>((resolve, reject) => {
      t = { run, request, jobDir, offset: 0, events: new EventFollower(run), restarts: 0, settle: (e) => (e ? reject(e) : resolve()) };
    });
    this.tracked.add(t);
    const cancel = () => void this.cancel(t);
    run.signal.addEventListener("abort", cancel);
    this.queue.push(t);
    this.queuedAt ??= Date.now();
    this.flushTimer ??= setTimeout(() => this.flushWhenSent(), BATCH_WINDOW_MS);
    try {
      await done;
    } finally {
      run.signal.removeEventListener("abort", cancel);
      this.tracked.delete(t);
    }
    const result = t.events.result;
    if (!result?.ok) throw new StageFailedError(result ? result.error : "the job ended without a result");
    return this.ws.fetch(run, result);
  }

  /** Submits what is queued: one job per request, an array where several share one. */
  /** Flushes the queue, or waits a little longer while other stages' job folders are still on their way. */
  private flushWhenSent(): void {
    const waited = Date.now() - (this.queuedAt ?? Date.now());
    if (this.sending > 0 && waited < MAX_BATCH_WAIT_MS) {
      this.flushTimer = setTimeout(() => this.flushWhenSent(), BATCH_WINDOW_MS);
      return;
    }
    void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    this.queuedAt = undefined;
    const batch = this.queue.splice(0);
    const groups = new Map<string, Tracked[]>();
    for (const t of batch) {
      const k = requestKey(t.request);
      groups.set(k, [...(groups.get(k) ?? []), t]);
    }
    await Promise.all([...groups.values()].map((g) => this.submit(g).catch((e: unknown) => g.forEach((t) => t.settle(e instanceof Error ? e : new Error(String(e)))))));
  }

  private async submit(group: Tracked[]): Promise<void> {
    const live = group.filter((t) => !t.run.signal.aborted);
    group.filter((t) => t.run.signal.aborted).forEach((t) => t.settle(new StageFailedError("cancelled")));
    if (live.length === 0) return;
    const name = jobName(live.length === 1 ? live[0]!.run.stage.name : `${live.length}-stages`);
    const text = batchScript(live[0]!.request, { name, workdir: this.ws.dir, seer: this.ws.seer(), jobDirs: live.map((t) => t.jobDir) });
    const file = `${this.ws.dir}/jobs/${this.o.runId}/submit-${randomBytes(4).toString("hex")}.sbatch`;
    await this.ws.check(await this.ws.remote.exec(script('cat > "$1"', [file]), { input: text, timeoutMs: 30_000 }), "writing the batch script");
    const out = `${this.ws.dir}/jobs/${this.o.runId}/slurm-${live.length > 1 ? "%A_%a" : "%j"}.out`;
    const r = await this.ws.remote.exec(["sbatch", "--parsable", `--output=${out}`, file], { timeoutMs: 60_000 });
    const id = r.code === 0 ? parseSubmitted(r.stdout) : undefined;
    if (!id) {
      await this.ws.check(r, "sbatch");
      throw new StageFailedError(`sbatch on ${this.name} did not return a job id: ${lastLine(r.stdout)}`);
    }
    live.forEach((t, i) => {
      t.id = live.length > 1 ? `${id}_${i}` : id;
      t.run.log(`Slurm job ${t.id} on ${this.name}`);
    });
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.pollTimer || this.polling) return;
    this.pollTimer = setTimeout(() => void this.poll(), this.spec.pollSeconds * 1000);
  }

  private async poll(): Promise<void> {
    this.pollTimer = undefined;
    this.polling = true;
    try {
      await this.pollOnce();
    } finally {
      this.polling = false;
      if ([...this.tracked].some((t) => t.id)) this.schedulePoll();
    }
  }

  private async pollOnce(): Promise<void> {
    const jobs = [...this.tracked].filter((t) => t.id);
    if (jobs.length === 0) return;
    const ids = [...new Set(jobs.map((t) => t.id!.split("_")[0]!))];
    const r = await this.ws.remote.exec(queueArgs(ids), { timeoutMs: 30_000 });
    if (r.code !== 0) return this.pollFailed(await this.ws.down(r.code === 255, lastLine(r.stderr) || "no answer"), lastLine(r.stderr));
    this.failures = 0;
    const states = parseQueue(r.stdout);
    await Promise.all(jobs.map((t) => this.follow(t, states.get(t.id!))));
  }

  private pollFailed(down: HostDownError | undefined, why: string): void {
    this.failures++;
    if (!down && this.failures < MAX_POLL_FAILURES) return;
    const e = down ?? new HostDownError(this.name, `squeue failed ${this.failures} times in a row: ${why}`);
    for (const t of this.tracked) {
      if (t.id) void this.ws.remote.exec(["scancel", t.id], { timeoutMs: 10_000 }).catch(() => undefined);
      t.settle(e);
    }
  }

  /** Reads new events; settles the stage when its job has ended. */
  private async follow(t: Tracked, queued: QueuedJob | undefined): Promise<void> {
    const state = queued?.state;
    const phase = phaseOf(state);
    await this.readEvents(t);
    if (queued && queued.restarts > t.restarts) {
      // The interrupted attempt reported itself cancelled; the next one reports again (result.json is read if its event was passed over).
      t.restarts = queued.restarts;
      t.events.result = undefined;
      t.run.log(`Slurm requeued job ${t.id} (restart ${queued.restarts}); it resumes from the stage's last checkpoint`);
    }
    if (phase === "waiting" || phase === "running") return;
    if (phase === "done" && t.events.result) return t.settle();
    if (!t.events.result) {
      const res = await this.ws.remote.exec(["cat", `${t.jobDir}/${RESULT_FILE}`], { timeoutMs: 15_000 });
      const parsed = res.code === 0 ? parseResult(res.stdout) : undefined;
      if (parsed) t.events.result = parsed;
    }
    if (t.events.result?.ok) return t.settle();
    const log = await this.ws.remote.exec(["tail", "-n", "5", `${this.ws.dir}/jobs/${this.o.runId}/slurm-${t.id}.out`], { timeoutMs: 15_000 });
    const why = t.events.result && !t.events.result.ok ? t.events.result.error : `Slurm job ${t.id} ended ${state ?? "(no longer listed)"} without a result`;
    t.settle(new StageFailedError(`${why}${log.code === 0 && log.stdout.trim() ? ` (job log: ${lastLine(log.stdout)})` : ""}`));
  }

  private async readEvents(t: Tracked): Promise<void> {
    const r = await this.ws.remote.exec(["tail", "-c", `+${t.offset + 1}`, `${t.jobDir}/${EVENTS_FILE}`], { timeoutMs: 15_000 });
    if (r.code !== 0) return;
    const complete = r.stdout.slice(0, r.stdout.lastIndexOf("\n") + 1);
    t.offset += Buffer.byteLength(complete);
    t.events.push(complete);
  }

  private async cancel(t: Tracked): Promise<void> {
    if (!t.id) return;
    // The worker gets SIGTERM and Slurm's KillWait to save a checkpoint.
    await this.ws.remote.exec(["scancel", t.id], { timeoutMs: 15_000 }).catch(() => undefined);
  }

  async close(): Promise<void> {
    clearTimeout(this.flushTimer);
    clearTimeout(this.pollTimer);
    const ids = [...this.tracked].flatMap((t) => (t.id ? [t.id] : []));
    if (ids.length > 0) await this.ws.remote.exec(["scancel", ...ids], { timeoutMs: 15_000 }).catch(() => undefined);
    await this.ws.close();
  }
}
