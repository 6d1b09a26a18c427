/**
 * A host reached with the system `ssh` (and `rsync` over it). One master connection per host
 * is reused by every command and copy (ControlMaster, socket in a private temp folder); keys
 * only (BatchMode); the host key must be in `known_hosts` unless the inventory turns checking
 * off; a dead host is noticed within seconds (ConnectTimeout, ServerAlive*).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { HostSpec, SshTarget } from "./inventory.js";
import { lastLine, LocalShell, PULL_FLAGS, RemoteError, rsyncArgs, type ExecOptions, type ExecResult, type Remote, type Streaming } from "./remote.js";
import { shellCommand, shq } from "./shell.js";

const SSH_TIMEOUTS = { connect: 5, aliveInterval: 2, aliveCount: 2 };

/** A temp folder short enough for a unix socket path (about 104 bytes) and free of characters ssh would expand. */
function controlDir(): string {
  const base = tmpdir();
  return mkdtempSync(path.join(base.length <= 40 && /^[A-Za-z0-9/._-]+$/.test(base) ? base : "/tmp", "seer-ssh-"));
}

/** The remote command line: `cd DIR && env K=V... ARGV`, every part quoted. */
export function remoteCommandLine(argv: readonly string[], o: { cwd?: string; env?: Readonly<Record<string, string>> } = {}): string {
  const env = Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const cmd = shellCommand(env.length > 0 ? ["env", ...env, ...argv] : argv);
  return o.cwd ? `cd ${shq(o.cwd)} && ${cmd}` : cmd;
}

class SshConnection implements Remote {
  readonly label: string;
  private readonly dir = controlDir();
  private readonly wrapper: string;

  constructor(
    private readonly target: SshTarget,
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    this.label = `${target.address}${target.port ? `:${target.port}` : ""}`;
    // rsync takes its ssh command as one string; a script holding the quoted options keeps paths with spaces or quotes intact.
    this.wrapper = path.join(this.dir, "ssh");
    writeFileSync(this.wrapper, `#!/bin/sh\nexec ssh ${shellCommand(this.options())} "$@"\n`);
    chmodSync(this.wrapper, 0o700);
  }

  /** Options for every ssh (and rsync's ssh). */
  options(): string[] {
    const t = this.target;
    const o = (kv: string) => ["-o", kv];
    return [
      ...o("BatchMode=yes"),
      ...o(`ConnectTimeout=${SSH_TIMEOUTS.connect}`),
      ...o(`ServerAliveInterval=${SSH_TIMEOUTS.aliveInterval}`),
      ...o(`ServerAliveCountMax=${SSH_TIMEOUTS.aliveCount}`),
      ...o("ControlMaster=auto"),
      ...o(`ControlPath=${path.join(this.dir, "%C")}`),
      ...o("ControlPersist=60"),
      ...o("LogLevel=ERROR"),
      ...(t.hostKeyChecking ? [...o("StrictHostKeyChecking=yes"), ...(t.knownHosts ? o(`UserKnownHostsFile=${t.knownHosts}`) : [])] : [...o("StrictHostKeyChecking=no"), ...o("UserKnownHostsFile=/dev/null")]),
      ...(t.identity ? ["-i", t.identity, ...o("IdentitiesOnly=yes")] : []),
      ...(t.port ? ["-p", String(t.port)] : []),
    ];
  }

  private argv(argv: readonly string[], o: { cwd?: string; env?: Readonly<Record<string, string>> }): string[] {
    return [...this.options(), "--", this.target.address, remoteCommandLine(argv, { ...(o.cwd ? { cwd: o.cwd } : {}), env: { ...this.env, ...o.env } })];
  }

  async exec(argv: readonly string[], o: ExecOptions = {}): Promise<ExecResult> {
    const r = await execa("ssh", this.argv(argv, o), { reject: false, encoding: "utf8", stripFinalNewline: false, ...(o.input !== undefined ? { input: o.input } : { stdin: "ignore" }), ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}) });
    return { code: r.timedOut ? 255 : (r.exitCode ?? 255), stdout: r.stdout, stderr: r.stderr };
  }

  spawn(argv: readonly string[], o: Omit<ExecOptions, "input" | "timeoutMs"> = {}): Streaming {
    return execa("ssh", this.argv(argv, o), { stdin: "pipe", stdout: "pipe", stderr: "pipe", reject: false, encoding: "utf8" });
  }

  private async rsync(args: string[], what: string): Promise<void> {
    const r = await execa("rsync", ["-e", this.wrapper, ...args], { reject: false, encoding: "utf8", stdin: "ignore" });
    if (r.exitCode !== 0) throw new RemoteError(`rsync ${what} ${this.label} failed (exit ${r.exitCode}): ${lastLine(r.stderr)}`, r.exitCode === 255 || r.exitCode === 12 || r.exitCode === 10 || r.exitCode === 30 || r.exitCode === 35);
  }

  push(sources: readonly string[], dest: string, o: { exclude?: readonly string[] } = {}): Promise<void> {
    return this.rsync(rsyncArgs(sources, `${this.target.address}:${dest.replace(/\/?$/, "/")}`, o.exclude), "to");
  }

  pull(src: string, dest: string): Promise<void> {
    return this.rsync(rsyncArgs([`${this.target.address}:${src.replace(/\/?$/, "/")}`], `${dest.replace(/\/?$/, "/")}`, [], PULL_FLAGS), "from");
  }

  async alive(): Promise<boolean> {
    return (await this.exec(["true"], { timeoutMs: (SSH_TIMEOUTS.connect + 5) * 1000 })).code === 0;
  }

  async close(): Promise<void> {
    await execa("ssh", [...this.options(), "-O", "exit", "--", this.target.address], { reject: false, stdin: "ignore", timeout: 5000 });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** How seer reaches a remote host: ssh to it (or to a Slurm login node), or this machine for a Slurm cluster without one. */
export function remoteFor(spec: Exclude<HostSpec, { kind: "local" }>): Remote {
  if (spec.kind === "ssh") return new SshConnection(spec.ssh);
  return spec.login ? new SshConnection(spec.login, spec.env) : new LocalShell(spec.env);
}
