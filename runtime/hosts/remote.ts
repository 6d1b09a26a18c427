/**
 * Running commands and copying files "over there": through ssh (ssh.ts) or on this machine
 * (a Slurm cluster whose `sbatch` is here). Commands are argument lists, never shell text;
 * copies are rsync.
 */
import { execa, type ResultPromise } from "execa";

/** Output as the command wrote it (a final newline is kept: event streams are read by complete lines). */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  env?: Readonly<Record<string, string>>;
}

export type Streaming = ResultPromise<{ stdin: "pipe"; stdout: "pipe"; stderr: "pipe"; reject: false; encoding: "utf8" }>;

export interface Remote {
  /** For messages: `root@10.0.0.5:22`, `this machine`. */
  readonly label: string;
  exec(argv: readonly string[], o?: ExecOptions): Promise<ExecResult>;
  /** Starts a command with its standard input kept open (closing it asks a worker to stop). */
  spawn(argv: readonly string[], o?: Omit<ExecOptions, "input" | "timeoutMs">): Streaming;
  /** rsync of local sources into a folder there (`/./` in a source marks where its relative path starts). */
  push(sources: readonly string[], dest: string, o?: { exclude?: readonly string[] }): Promise<void>;
  /** rsync of a folder there into a local folder. */
  pull(src: string, dest: string): Promise<void>;
  /** Whether the far side still answers (asked after a failure). */
  alive(): Promise<boolean>;
  close(): Promise<void>;
}

/** A copy or command failed; `lost` when the connection itself failed (ssh's exit 255, rsync's 12 and 255). */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly lost: boolean,
  ) {
    super(message);
    this.name = "RemoteError";
  }
}

/** `-s`: file names travel inside the rsync protocol, never through the remote shell. */
const RSYNC_FLAGS = ["-a", "-s"] as const;

/** What comes back from a host is regular files and folders only. */
export const PULL_FLAGS = ["--no-links", "--no-devices", "--no-specials"] as const;

export function rsyncArgs(sources: readonly string[], dest: string, exclude: readonly string[] = [], extra: readonly string[] = []): string[] {
  const relative = sources.some((s) => s.includes("/./"));
  return [...RSYNC_FLAGS, ...extra, ...(relative ? ["--relative"] : []), ...exclude.map((e) => `--exclude=${e}`), "--", ...sources, dest];
}

export function lastLine(s: string): string {
  return s.trim().split("\n").filter(Boolean).slice(-2).join(" | ");
}

/** This machine, for a Slurm cluster without a login node: commands and copies run here. */
export class LocalShell implements Remote {
  readonly label = "this machine";

  constructor(private readonly env: Readonly<Record<string, string>> = {}) {}

  async exec(argv: readonly string[], o: ExecOptions = {}): Promise<ExecResult> {
    const r = await execa(argv[0]!, argv.slice(1), { reject: false, encoding: "utf8", stripFinalNewline: false, env: { ...this.env, ...o.env }, ...(o.cwd ? { cwd: o.cwd } : {}), ...(o.input !== undefined ? { input: o.input } : { stdin: "ignore" }), ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}) });
    return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
  }

  spawn(argv: readonly string[], o: Omit<ExecOptions, "input" | "timeoutMs"> = {}): Streaming {
    return execa(argv[0]!, argv.slice(1), { stdin: "pipe", stdout: "pipe", stderr: "pipe", reject: false, encoding: "utf8", env: { ...this.env, ...o.env }, ...(o.cwd ? { cwd: o.cwd } : {}) });
  }

  async push(sources: readonly string[], dest: string, o: { exclude?: readonly string[] } = {}): Promise<void> {
    const r = await execa("rsync", rsyncArgs(sources, `${dest.replace(/\/?$/, "/")}`, o.exclude), { reject: false, encoding: "utf8", stdin: "ignore" });
    if (r.exitCode !== 0) throw new RemoteError(`rsync into ${dest} failed: ${lastLine(r.stderr)}`, false);
  }

  async pull(src: string, dest: string): Promise<void> {
    const r = await execa("rsync", rsyncArgs([`${src.replace(/\/?$/, "/")}`], `${dest.replace(/\/?$/, "/")}`, [], PULL_FLAGS), { reject: false, encoding: "utf8", stdin: "ignore" });
    if (r.exitCode !== 0) throw new RemoteError(`rsync from ${src} failed: ${lastLine(r.stderr)}`, false);
  }

  async alive(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    // nothing held
  }
}
