/**
 * seer's folder on a remote host (the inventory's `workdir`), shared by SSH and Slurm hosts:
 *
 *   seer/<version>-<build>/    this seer, copied once per build (install.ts)
 *   .seer/stages/<key>/        a stage cache like the project's: inputs sent here, outputs made here
 *   .seer/work/<key>/          checkpoints (a retried, requeued or preempted stage resumes from them)
 *   jobs/<run-id>/<job>/       one attempt: job.json, inputs that came with it, result.json, logs
 *
 * Inputs go out with the job (hard-linked into a local staging folder, then one rsync) unless
 * the host already holds them; outputs come back into the scheduler's temp folder and must
 * match, file by file, the sizes and sha256 the worker reported: the scheduler's publish
 * checks them as it hashes them, and publishes nothing that differs.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BackendInfo } from "../backend/select.js";
import type { EngineChoice, NodeGroup } from "../engines/engine.js";
import type { ExpectedFiles, Store } from "../exec/store.js";
import { HostDownError, StageFailedError, type StageRun } from "./host.js";
import { installPayload } from "./install.js";
import { stageJob, writeJob, type JobResult, type StageJob } from "./job.js";
import { lastLine, RemoteError, type ExecResult, type Remote } from "./remote.js";
import { script } from "./shell.js";

/** What installing and naming job folders needs. */
export interface InstallSetup {
  seer: string;
  runId: string;
  packageRoot: string;
}

/** And what sending jobs needs. */
export interface RemoteSetup extends InstallSetup {
  store: Store;
  baseDir: string;
  backend: BackendInfo;
  /** The run's engine choice, with the host's interpreter (its inventory `python`) when named. */
  engine: EngineChoice;
}

/** What `hello` learns about a host. */
export interface HostFacts {
  workdir: string;
  node: string;
  installed: boolean;
  stages: string[];
}

const HELLO = `W=$1; ID=$2; RUN=$3; NODE=$4
mkdir -p -- "$W" && cd -- "$W" && mkdir -p -- "jobs/$RUN" seer .seer/stages || exit 3
printf '%s\\0' "$(pwd -P)"
if [ -f "seer/$ID/.complete" ]; then echo installed; fi
printf 'node %s\\n' "$("$NODE" --version 2>/dev/null)"
for d in .seer/stages/*/; do if [ -f "\${d}manifest.json" ]; then printf 'stage %s\\n' "$(basename "$d")"; fi; done`;

const FINISH_INSTALL = `cd -- "$1/seer" && touch -- "$2/.complete" && { mv -T -- "$2" "$3" 2>/dev/null || rm -rf -- "$2"; } && exec "$4" "$3/bin/seer.js" --version`;

/** Outputs up to this size come back inside the worker's result rather than by rsync (one copy fewer per small stage). */
const INLINE_BYTES = 1 << 20;

/** `~/x` and `~` name folders under the login's home, where remote commands start. */
export function remoteDir(workdir: string): string {
  if (workdir === "~") return ".";
  return workdir.startsWith("~/") ? workdir.slice(2) || "." : workdir;
}

function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const e of readdirSync(src)) {
    const s = path.join(src, e);
    const d = path.join(dst, e);
    if (statSync(s).isDirectory()) linkTree(s, d);
    else {
      try {
        linkSync(s, d);
      } catch {
        copyFileSync(s, d);
      }
    }
  }
}

export class Workspace {
  private facts?: Promise<HostFacts>;
  private readonly held = new Set<string>();
  private root = "";

  constructor(
    readonly host: string,
    readonly remote: Remote,
    private readonly workdir: string,
    private readonly node: string,
    private readonly s: InstallSetup,
  ) {}

  /**
   * After a failure that looks like a lost connection (`lost`: ssh's exit 255 and the like):
   * the HostDownError to throw when the host no longer answers, else undefined.
   */
  async down(lost: boolean, detail: string): Promise<HostDownError | undefined> {
    return lost && !(await this.remote.alive()) ? new HostDownError(this.host, detail) : undefined;
  }

  /** Fails with HostDownError when the connection is lost, else with the command's own error. */
  async check(r: ExecResult, what: string): Promise<ExecResult> {
    if (r.code === 0) return r;
    const down = await this.down(r.code === 255, lastLine(r.stderr) || `${what}: no answer`);
    throw down ?? new RemoteError(`${what} on ${this.host} failed (exit ${r.code}): ${lastLine(r.stderr) || lastLine(r.stdout)}`, false);
  }

  /** Copy and transfer failures: a lost connection means the host is down. */
  async guard<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      const down = e instanceof RemoteError ? await this.down(e.lost, e.message) : undefined;
      throw down ?? e;
    }
  }

  /** Connects, learns what the host holds and installs seer there if needed: once. `log` hears about an install. */
  open(log?: (line: string) => void): Promise<HostFacts> {
    this.facts ??= this.hello(log).catch((e: unknown) => {
      this.facts = undefined;
      throw e;
    });
    return this.facts;
  }

  private async hello(log?: (line: string) => void): Promise<HostFacts> {
    const payload = installPayload(this.s.packageRoot, this.s.seer);
    const r = await this.check(await this.remote.exec(script(HELLO, [remoteDir(this.workdir), payload.id, this.s.runId, this.node]), { timeoutMs: 60_000 }), "preparing the work folder");
    const nul = r.stdout.indexOf("\0");
    const root = r.stdout.slice(0, nul);
    const lines = r.stdout.slice(nul + 1).split("\n");
    const facts: HostFacts = {
      workdir: root,
      node: lines.find((l) => l.startsWith("node "))?.slice(5).trim() ?? "",
      installed: lines.includes("installed"),
      stages: lines.filter((l) => l.startsWith("stage ")).map((l) => l.slice(6)),
    };
    this.root = root;
    facts.stages.forEach((k) => this.held.add(k));
    if (!facts.node) throw new RemoteError(`\`${this.node}\` does not run on ${this.host} (set \`node\` in the inventory to its path there)`, false);
    const major = Number(/^v(\d+)/.exec(facts.node)?.[1]);
    if (!(major >= 20)) throw new RemoteError(`${this.host} has Node ${facts.node}; seer needs Node 20 or newer (set \`node\` in the inventory to a newer one)`, false);
    if (!facts.installed) {
      log?.(`copying seer build ${payload.id} to ${this.host} (once per build)`);
      await this.install();
    }
    return facts;
  }

  private async install(): Promise<void> {
    const payload = installPayload(this.s.packageRoot, this.s.seer);
    const partial = `.${payload.id}.partial-${randomBytes(4).toString("hex")}`;
    const sources = payload.paths.map((p) => `${this.s.packageRoot}/./${p}`);
    await this.guard(this.remote.push(sources, `${this.root}/seer/${partial}`, { exclude: payload.exclude }));
    const r = await this.check(await this.remote.exec(script(FINISH_INSTALL, [this.root, partial, payload.id, this.node]), { timeoutMs: 60_000 }), "installing seer");
    if (r.stdout.trim() !== this.s.seer) throw new RemoteError(`seer installed on ${this.host} says it is version ${r.stdout.trim()}, not ${this.s.seer}`, false);
  }

  holds(key: string): boolean {
    return this.held.has(key);
  }

  /** `node .../bin/seer.js` on the host. */
  seer(): string[] {
    return [this.node, `${this.root}/seer/${installPayload(this.s.packageRoot, this.s.seer).id}/bin/seer.js`];
  }

  get dir(): string {
    return this.root;
  }

  /**
   * Sends one attempt of a stage: the inputs the host lacks and job.json, in one rsync. With
   * `viaAgent`, a job that needs no inputs copied is not written here but returned, for the
   * worker to write itself (no copy at all), and small outputs will come back inside its result.
   */
  async send(run: StageRun, j: RemoteSetup, o: { viaAgent: boolean; group?: NodeGroup }): Promise<{ dir: string; job?: StageJob }> {
    await this.open(run.log);
    const name = `${run.key.slice(0, 16)}-${randomBytes(4).toString("hex")}`;
    const dir = `${this.root}/jobs/${this.s.runId}/${name}`;
    // A node other than 0 of a process group publishes nothing and keeps nothing: its outputs
    // folder (left empty) and work folder are in the job folder, removed when the run ends.
    const follower = o.group !== undefined && o.group.node > 0 ? { out: "out", work: "work" } : o.viaAgent ? { inline: INLINE_BYTES } : {};
    const engine = o.group ? { ...j.engine, group: o.group } : j.engine;
    const job = stageJob(run, this.s.seer, { store: "../../..", incoming: "stages", backend: j.backend, engine, baseDir: j.baseDir, ...follower });
    const missing = [...run.upstream.values()].filter((u) => !this.held.has(u.key));
    if (o.viaAgent && missing.length === 0) return { dir, job };
    const staging = path.join(j.store.root, "tmp", `send-${name}`);
    const local = path.join(staging, name);
    try {
      mkdirSync(local, { recursive: true });
      for (const u of missing) linkTree(u.dir, path.join(local, "stages", u.key));
      writeJob(local, job);
      await this.guard(this.remote.push([local], `${this.root}/jobs/${this.s.runId}`));
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return { dir };
  }

  /**
   * Brings a finished stage's output into `run.out`; returns what the worker reported of it,
   * which the scheduler's publish checks every file against.
   */
  async fetch(run: StageRun, result: Extract<JobResult, { ok: true }>): Promise<ExpectedFiles> {
    if (!result.files) throw new StageFailedError(`${this.host} reported no hashes for the stage's outputs`);
    if (result.inline) {
      for (const [rel, b64] of Object.entries(result.inline)) {
        const file = path.join(run.out, rel);
        if (path.relative(run.out, file).startsWith("..")) throw new StageFailedError(`${this.host} returned an output outside the stage's folder (${rel})`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, Buffer.from(b64, "base64"));
      }
    } else await this.guard(this.remote.pull(`${this.root}/.seer/stages/${run.key}`, run.out));
    this.held.add(run.key);
    for (const u of run.upstream.values()) this.held.add(u.key);
    return { files: result.files, from: this.host };
  }

  /** Removes this run's job folders there. */
  async close(): Promise<void> {
    if (this.facts && this.root) await this.remote.exec(["rm", "-rf", "--", `${this.root}/jobs/${this.s.runId}`], { timeoutMs: 15_000 }).catch(() => undefined);
    await this.remote.close();
  }
}
