/**
 * Starts a stage's ranks as one torch.distributed process group with the env:// rendezvous
 * (MASTER_ADDR, MASTER_PORT on this host): here, one process per rank with RANK, WORLD_SIZE and
 * LOCAL_RANK set, the way torchrun would (`torchrun` itself crashes on Debian's torch 1.13 under
 * Python 3.11); inside a Slurm allocation of several tasks, one `srun` that starts a task per
 * rank on the allocation's nodes (the worker takes SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID
 * as its rank, world size and local rank). Rank 0's events
 * become the stage's log and progress. A rank that fails or dies ends the stage: the others are
 * stopped, and the error names the rank, its host and what it said (its last stderr lines when
 * it said nothing). Cancelling sends SIGTERM: the ranks agree on a step, save a checkpoint, exit.
 * One node of a process group across hosts (`group`) starts its local ranks the same way, with
 * ranks from its first one, the group's world size and rendezvous, on the network interface
 * that reaches the rendezvous (interface.ts); only the node holding rank 0 gets a result.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { hostname } from "node:os";
import { createInterface } from "node:readline";
import { DataError } from "../../data/errors.js";
import { parseEvent } from "./events.js";
import { socketInterfaceEnv } from "./interface.js";

export interface LaunchOptions {
  python: string;
  /** The folder holding the `seer_torch` package (put on PYTHONPATH). */
  packageDir: string;
  jobFile: string;
  /** Ranks on this host, or started by srun across a Slurm allocation. */
  ranks: number;
  /** Start the ranks with this `srun` (inside a Slurm allocation of `ranks` tasks) instead of as local processes. */
  srun?: string;
  log(line: string): void;
  progress(step: number, total: number): void;
  signal?: AbortSignal;
  /** Called with each rank's process id once it is started. */
  onSpawn?(rank: number, pid: number): void;
  /** Extra environment for every rank. */
  env?: Record<string, string>;
  /** These ranks are one node of a process group across hosts: ranks from `firstRank`, of `world`, meeting at `addr:port`. */
  group?: RankGroup;
}

export interface RankGroup {
  firstRank: number;
  world: number;
  addr: string;
  port: number;
}

export class RankError extends Error {
  constructor(
    message: string,
    readonly rank: number,
    readonly host: string,
    readonly category: "data" | "environment" | "spec" | "internal" | "died",
  ) {
    super(message);
    this.name = "RankError";
  }
}

/** A free TCP port on the loopback interface for rank 0's store. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const port = typeof a === "object" && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Rank {
  rank: number;
  child: ChildProcess;
  stderr: string[];
  error: RankError | null;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the ranks to completion; resolves with rank 0's result, rejects with a RankError, DataError or AbortError. */
export async function launchRanks(o: LaunchOptions): Promise<Record<string, unknown>> {
  const g = o.group;
  const port = g ? g.port : await freePort();
  const host = hostname();
  let result: Record<string, unknown> | null = null;
  const ranks: Rank[] = [];
  const nic = g ? await socketInterfaceEnv(g.addr, g.port) : {};
  const common = { ...process.env, ...nic, ...o.env, PYTHONPATH: o.packageDir, PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1", MASTER_PORT: String(port), OMP_NUM_THREADS: o.env?.["OMP_NUM_THREADS"] ?? "1" };
  const processes = o.srun ? 1 : o.ranks;
  const first = g?.firstRank ?? 0;
  const world = g?.world ?? o.ranks;
  for (let local = 0; local < processes; local++) {
    const r = first + local;
    const worker = [o.python, "-m", "seer_torch.worker", o.jobFile];
    const [cmd, ...args] = o.srun ? [o.srun, `--ntasks=${o.ranks}`, "--kill-on-bad-exit=1", "--export=ALL", ...worker] : worker;
    const env = o.srun
      ? { ...withoutRankVariables(common), MASTER_ADDR: host }
      : { ...common, MASTER_ADDR: g ? g.addr : "127.0.0.1", RANK: String(r), LOCAL_RANK: String(local), WORLD_SIZE: String(world) };
    const child = spawn(cmd!, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const rank: Rank = { rank: r, child, stderr: [], error: null, exit: new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal }))) };
    if (child.pid !== undefined) o.onSpawn?.(r, child.pid);
    child.on("error", (e) => { rank.error = new RankError(`rank ${r} could not start ${o.python}: ${e.message}`, r, host, "environment"); });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const ev = parseEvent(line);
      if (!ev) return r === 0 ? o.log(line) : undefined;
      if (ev.event === "error") rank.error = new RankError(ev.message, ev.rank >= 0 ? ev.rank : r, ev.host, ev.category);
      else if (r !== 0) return;
      else if (ev.event === "log") o.log(ev.text);
      else if (ev.event === "progress") o.progress(ev.step, ev.total);
      else if (ev.event === "done") result = ev.result;
    });
    createInterface({ input: child.stderr! }).on("line", (line) => {
      rank.stderr.push(line);
      if (rank.stderr.length > 40) rank.stderr.shift();
    });
    ranks.push(rank);
  }
  const stopAll = (sig: NodeJS.Signals) => { for (const x of ranks) if (x.child.exitCode === null && x.child.signalCode === null) x.child.kill(sig); };
  let killTimer: NodeJS.Timeout | null = null;
  const onAbort = () => {
    stopAll("SIGTERM");
    killTimer = setTimeout(() => stopAll("SIGKILL"), 60_000);
  };
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const failures: RankError[] = [];
  try {
    await new Promise<void>((resolve) => {
      let left = ranks.length;
      for (const x of ranks) {
        void x.exit.then(({ code, signal }) => {
          if (code !== 0 && !o.signal?.aborted) {
            failures.push(x.error ?? new RankError(died(x, code, signal, host, o.srun ? o.ranks : 0), x.rank, host, "died"));
            stopAll("SIGTERM");
            killTimer ??= setTimeout(() => stopAll("SIGKILL"), 10_000);
          }
          if (--left === 0) resolve();
        });
      }
    });
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    if (killTimer) clearTimeout(killTimer);
  }
  if (o.signal?.aborted) throw Object.assign(new Error("pretraining cancelled"), { name: "AbortError" });
  // A rank that died without a word is the cause; the others' errors (a peer's closed
  // connection) are its consequences.
  const failure = failures.find((f) => f.category === "died") ?? failures[0];
  if (failure) throw toStageError(failure, world);
  if (first > 0) return {};
  if (!result) throw new RankError("the torch worker ended without a result", 0, host, "internal");
  return result;
}

/** srun's tasks take their ranks from Slurm: no RANK, WORLD_SIZE or LOCAL_RANK may leak in from here. */
function withoutRankVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { RANK: _r, WORLD_SIZE: _w, LOCAL_RANK: _l, ...rest } = env;
  return rest;
}

function died(x: Rank, code: number | null, signal: NodeJS.Signals | null, host: string, srunTasks: number): string {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const tail = x.stderr.filter((l) => l.trim()).slice(-8).join("\n");
  const who = srunTasks > 0 ? `srun of ${srunTasks} ranks started on ${host}` : `rank ${x.rank} on ${host}`;
  return `${who} ${how}${tail ? `; its last words:\n${tail}` : ""}`;
}

/** Data and environment problems become DataErrors (exit 3, no "bug in seer"); the rest keep naming the rank. */
function toStageError(e: RankError, world: number): Error {
  const where = world > 1 ? `rank ${e.rank} of ${world} on ${e.host}: ` : "";
  if (e.category === "data" || e.category === "environment") return new DataError("bad-options", `${where}${e.message}`);
  if (e.category === "died") return new RankError(`the torch engine's ${e.message}`, e.rank, e.host, e.category);
  return new RankError(`${where}${e.message}`, e.rank, e.host, e.category);
}
