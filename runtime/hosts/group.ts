/**
 * One torch stage as a process group across SSH hosts (`--nnodes N`): the same stage job goes
 * to each of the N hosts the dispatcher chose, as node k of N (`NodeGroup`), and each host's
 * worker starts its ranks of the group; they meet at node 0's host (its inventory address, a
 * port chosen here). Node 0 holds rank 0, which alone writes outputs and checkpoints: its
 * outputs are the stage's, the others return none. When one node fails, the others are
 * cancelled and the stage fails naming the node, its host and what it said; a rerun resumes
 * from node 0's checkpoints (the other ranks get the state by broadcast). Cancelling the run
 * cancels every node.
 */
import type { ExpectedFiles } from "../exec/store.js";
import type { NodeGroup } from "../engines/engine.js";
import { HostDownError, StageFailedError, type NodeHost, type StageRun } from "./host.js";

/** Rendezvous ports are drawn from this range (inclusive low, exclusive high). */
export const GROUP_PORTS = { low: 20_000, high: 60_000 } as const;

export function randomPort(random: () => number = Math.random): number {
  return GROUP_PORTS.low + Math.floor(random() * (GROUP_PORTS.high - GROUP_PORTS.low));
}

/** A failure that another port may cure: node 0 could not listen on the one drawn. */
const PORT_TAKEN = /address already in use|EADDRINUSE/i;

export interface GroupOptions {
  /** Draws a rendezvous port (tests pin it). */
  port?(): number;
}

interface NodeFailure {
  node: number;
  host: string;
  error: unknown;
  /** It came after the group was already being stopped (a consequence, not the cause). */
  late: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Runs the stage on every member at once; node 0's outputs fill `run.out`. A taken port is tried once more with another. */
export async function runGroup(members: readonly NodeHost[], run: StageRun, o: GroupOptions = {}): Promise<ExpectedFiles | undefined> {
  const draw = o.port ?? randomPort;
  try {
    return await runOnce(members, run, draw());
  } catch (e) {
    if (!(e instanceof GroupFailedError) || !PORT_TAKEN.test(e.message) || run.signal.aborted) throw e;
    run.log(`the rendezvous port was taken on ${members[0]!.name}; trying another`);
    return await runOnce(members, run, draw());
  }
}

export class GroupFailedError extends StageFailedError {
  constructor(message: string) {
    super(message);
    this.name = "GroupFailedError";
  }
}

async function runOnce(members: readonly NodeHost[], run: StageRun, port: number): Promise<ExpectedFiles | undefined> {
  const nodes = members.length;
  const stop = new AbortController();
  const cancel = () => stop.abort();
  if (run.signal.aborted) stop.abort();
  run.signal.addEventListener("abort", cancel, { once: true });
  const failures: NodeFailure[] = [];
  const jobs = members.map(async (host, node) => {
    const group: NodeGroup = { node, nodes, addr: members[0]!.reachAt, port };
    const job: StageRun = node === 0 ? { ...run, signal: stop.signal } : { ...run, signal: stop.signal, log: (line) => run.log(`${host.name} (node ${node}): ${line}`), progress: () => undefined };
    try {
      return await host.runNode(job, group);
    } catch (error) {
      failures.push({ node, host: host.name, error, late: stop.signal.aborted });
      stop.abort();
      throw error;
    }
  });
  const settled = await Promise.allSettled(jobs);
  run.signal.removeEventListener("abort", cancel);
  const first = settled[0]!;
  if (run.signal.aborted && first.status === "rejected") throw first.reason;
  if (failures.length === 0 && first.status === "fulfilled") return first.value;
  // A host that stopped answering goes to the dispatcher as such: it is marked down and the stage placed again.
  const down = failures.find((f) => f.error instanceof HostDownError);
  if (down) throw down.error;
  const causes = failures.filter((f) => !f.late);
  const shown = causes.length > 0 ? causes : failures;
  throw new GroupFailedError(`the process group of ${nodes} nodes failed: ${shown.map((f) => `node ${f.node} on ${f.host}: ${message(f.error)}`).join("; ")}`);
}
