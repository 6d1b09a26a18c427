/**
 * Placement and faults. A ready stage goes to a host that is up, runs its engine, has the
 * accelerators and memory it needs and a free slot (`max_jobs`; one training stage per accelerator), preferring
 * the host that already holds most of its inputs (bytes), then the least busy one, then the
 * inventory's order. A host that stops answering is marked down and the stages it was running
 * go elsewhere (nothing it half-wrote is published: outputs are checked by hash first); other
 * failures are retried up to `retries` times with exponential backoff.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Stage } from "../../contract/graph.js";
import type { InputStage, ProvenanceFacts } from "../exec/executors/context.js";
import { isTraining, type KeyedInput, type Placement, type ScheduleOptions } from "../exec/scheduler.js";
import { gib } from "../backend/doctor.js";
import { runsOnEngine, type EngineName } from "../engines/engine.js";
import { runGroup } from "./group.js";
import { HostDownError, isNodeHost, type Host, type NodeHost } from "./host.js";

export interface DispatchOptions {
  hosts: readonly Host[];
  /** Attempts after the first for stage failures (a host going down does not count). */
  retries: number;
  /** First backoff; doubles per attempt, at most 30 s. */
  backoffMs?: number;
  /** Estimated memory a stage needs, when known. */
  memoryOf?(stage: Stage): number | undefined;
  /** Whether a stage fits in the memory of each device of the accelerator `hardware` (undefined: not known). */
  fitsDevice?(stage: Stage, hardware: string): boolean | undefined;
  /** The run's engine: a stage torch runs goes only to hosts that list torch. Default tfjs. */
  engine?: EngineName;
  /** Hosts of a torch stage's process group (`--nnodes`); more than one: the first that many SSH hosts able to run it. */
  nodes?: number;
  provenance(): ProvenanceFacts;
  /** A line about a host (marked down), shown with the stage that found out. */
  note?(stage: Stage, line: string): void;
}

interface HostState {
  host: Host;
  down?: string;
  running: number;
  training: number;
}

export class Dispatcher {
  private readonly states: HostState[];
  private readonly bytes = new Map<string, number>();
  /** The members of each placement of a process group across hosts, node 0 first. */
  private readonly groups = new WeakMap<Placement, NodeHost[]>();

  constructor(private readonly o: DispatchOptions) {
    this.states = o.hosts.map((host) => ({ host, running: 0, training: 0 }));
  }

  private fits(s: HostState, stage: Stage): boolean {
    const mem = this.o.memoryOf?.(stage);
    if (!(s.host.capacity.engines ?? ["tfjs"]).includes(this.engineOf(stage))) return false;
    // A CPU-only host's CPU pool counts as one accelerator (as for local runs).
    const hw = s.host.capacity.hardware;
    if (hw !== undefined && this.o.fitsDevice?.(stage, hw) === false) return false;
    return stage.resources.gpus <= Math.max(1, s.host.capacity.gpus) && (mem === undefined || s.host.capacity.memory === undefined || mem <= s.host.capacity.memory);
  }

  private engineOf(stage: Stage): EngineName {
    return runsOnEngine(stage, this.o.engine ?? "tfjs");
  }

  private need(stage: Stage): string {
    const mem = this.o.memoryOf?.(stage);
    const engine = this.engineOf(stage);
    return `${stage.resources.gpus} GPU(s)${mem !== undefined ? ` and ${gib(mem)} of memory` : ""}${engine !== "tfjs" ? ` and the ${engine} engine` : ""}${this.o.fitsDevice ? " (and devices it fits in)" : ""}`;
  }

  /** Bytes of a published stage (from its manifest), for locality. */
  private sizeOf(input: InputStage): number {
    let b = this.bytes.get(input.dir);
    if (b === undefined) {
      try {
        b = (JSON.parse(readFileSync(path.join(input.dir, "manifest.json"), "utf8")) as { files: { bytes: number }[] }).files.reduce((a, f) => a + f.bytes, 0);
      } catch {
        b = 0;
      }
      this.bytes.set(input.dir, b);
    }
    return b;
  }

  /** Of several free hosts: the one that holds most bytes of the inputs, then the least loaded, then the first listed. */
  private closest(free: HostState[], upstream: ReadonlyMap<string, KeyedInput>): HostState {
    const held = (s: HostState) => [...upstream.values()].reduce((a, u) => a + (s.host.holds(u.key) ? this.sizeOf(u) : 0), 0);
    const scored = free.map((s, i) => ({ s, i, held: held(s), load: s.running / s.host.capacity.maxJobs }));
    scored.sort((a, b) => b.held - a.held || a.load - b.load || a.i - b.i);
    return scored[0]!.s;
  }

  /** What each host has, for a stage no host (or group of hosts) can take. */
  private hostsSaid(stage: Stage, kinds: boolean): string {
    return this.states.map((s) => `${s.host.name}: ${kinds ? `${s.host.kind}, ` : ""}${s.host.capacity.gpus} GPU(s)${s.host.capacity.hardware !== undefined ? ` ${s.host.capacity.hardware}${this.o.fitsDevice?.(stage, s.host.capacity.hardware) === false ? " (too small for it)" : ""}` : ""}${s.host.capacity.memory !== undefined ? `, ${gib(s.host.capacity.memory)}` : ""}${this.engineOf(stage) !== "tfjs" ? `, engines ${(s.host.capacity.engines ?? ["tfjs"]).join(", ")}` : ""}`).join("; ");
  }

  /**
   * A torch stage across `nodes` hosts: the first that many SSH hosts (inventory order) that are
   * up and could run it, all with a free slot at once; node 0 (the rendezvous, where the
   * checkpoints are) is then the same host on a rerun. Waits while one of them is busy.
   */
  private placeGroup(stage: Stage, nodes: number): Placement | string | undefined {
    const able = this.states.flatMap((s) => (isNodeHost(s.host) && this.fits(s, stage) ? [{ s, host: s.host }] : []));
    if (able.length < nodes) return `no ${nodes} SSH hosts in the inventory have ${this.need(stage)} for a process group across ${nodes} hosts (--nnodes ${nodes}); ${able.length === 0 ? "none has" : `only ${able.map((a) => a.host.name).join(", ")} ${able.length === 1 ? "has" : "have"}`} (${this.hostsSaid(stage, true)})`;
    const up = able.filter((a) => !a.s.down);
    if (up.length < nodes) return `fewer than ${nodes} of the SSH hosts that could run its process group are up (${able.filter((a) => a.s.down).map((a) => `${a.host.name}: ${a.s.down}`).join("; ")})`;
    const chosen = up.slice(0, nodes);
    if (chosen.some((a) => a.s.running >= a.host.capacity.maxJobs || a.s.training >= a.host.capacity.maxTraining)) return undefined;
    for (const a of chosen) {
      a.s.running++;
      a.s.training++;
    }
    let released = false;
    const placement: Placement = {
      host: chosen[0]!.host.name,
      release: () => {
        if (released) return;
        released = true;
        for (const a of chosen) {
          a.s.running--;
          a.s.training--;
        }
      },
    };
    this.groups.set(placement, chosen.map((a) => a.host));
    return placement;
  }

  readonly place: NonNullable<ScheduleOptions["place"]> = (stage, upstream) => {
    const nodes = this.o.nodes ?? 1;
    if (nodes > 1 && this.engineOf(stage) === "torch") return this.placeGroup(stage, nodes);
    const able = this.states.filter((s) => this.fits(s, stage));
    if (able.length === 0) return `no host in the inventory has ${this.need(stage)} (${this.hostsSaid(stage, false)})`;
    const up = able.filter((s) => !s.down);
    if (up.length === 0) return `every host that could run it is down (${able.map((s) => `${s.host.name}: ${s.down}`).join("; ")})`;
    const training = isTraining(stage);
    const free = up.filter((s) => s.running < s.host.capacity.maxJobs && (!training || s.training < s.host.capacity.maxTraining));
    if (free.length === 0) return undefined;
    const best = free.length === 1 ? free[0]! : this.closest(free, upstream);
    best.running++;
    if (training) best.training++;
    let released = false;
    const placement: Placement = {
      host: best.host.name,
      release: () => {
        if (released) return;
        released = true;
        best.running--;
        if (training) best.training--;
      },
    };
    return placement;
  };

  readonly retry: NonNullable<ScheduleOptions["retry"]> = (stage, attempt, error) => {
    if (error instanceof HostDownError) {
      const s = this.states.find((x) => x.host.name === error.host);
      if (s && !s.down) {
        s.down = error.detail;
        this.o.note?.(stage, `host ${s.host.name} is down (${s.down}); its stages go to other hosts`);
      }
      // Rescheduling after a host failure is not a retry of the stage; bounded by the number of hosts.
      return attempt <= this.states.length + this.o.retries ? 0 : undefined;
    }
    if (attempt > this.o.retries) return undefined;
    return Math.min(30_000, (this.o.backoffMs ?? 1000) * 2 ** (attempt - 1));
  };

  readonly execute: ScheduleOptions["execute"] = async (stage, ctx, placement) => {
    const members = placement ? this.groups.get(placement) : undefined;
    if (members) {
      ctx.log(`on ${members.map((h) => h.name).join(" and ")}: one process group across ${members.length} nodes, rendezvous on ${members[0]!.name} (${members[0]!.reachAt})`);
      return runGroup(members, { ...ctx, provenance: this.o.provenance });
    }
    const host = this.states.find((s) => s.host.name === placement?.host)?.host ?? this.states[0]!.host;
    if (this.states.length > 1 || host.kind !== "local") ctx.log(`on ${host.name}`);
    return host.run({ ...ctx, provenance: this.o.provenance });
  };

  async close(): Promise<void> {
    await Promise.all(this.states.map((s) => s.host.close().catch(() => undefined)));
  }
}
