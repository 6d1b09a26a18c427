/**
 * The local test servers of scripts/cluster (a key-only sshd, network-namespace hosts h1 and
 * h2, a one-node Slurm cluster; scripts/cluster/README.md), found through the variables their
 * env.sh files export. A test that needs one skips, saying so on stderr, when it is absent,
 * unless SEER_REQUIRE_CLUSTER=1 (set by .ci/run, which starts them): then its absence is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync } from "node:fs";
import path from "node:path";
import type { TestContext } from "node:test";
import { ROOT, SEER_BIN } from "./paths.js";

const env = process.env;
const SCRIPTS = path.join(ROOT, "scripts", "cluster");

export interface NetnsHosts {
  key: string;
  knownHosts: string;
  ip: { h1: string; h2: string };
}

export interface SshdHost {
  host: string;
  port: number;
  user: string;
  key: string;
  knownHosts: string;
}

/** Each server's start script and the variables its env.sh exports. */
const SERVERS = {
  sshd: { script: "start-sshd.sh", vars: "SSH_TEST_*" },
  netns: { script: "start-netns-hosts.sh", vars: "NETNS_*" },
  slurm: { script: "start-slurm.sh", vars: "SLURM_CONF" },
};

/** Why servers are missing, with the commands that start them (from the repository root, as root). */
function notRunning(what: string, ...servers: (keyof typeof SERVERS)[]): string {
  const start = servers.map((s) => `bash scripts/cluster/${SERVERS[s].script}`);
  const source = servers.map((s) => `source /tmp/seer-cluster/${s}/env.sh`);
  return `${what} not running (no ${servers.map((s) => SERVERS[s].vars).join(", ")} in the environment; start: ${[...start, ...source].join(" && ")})`;
}

export function netnsHosts(): NetnsHosts | string {
  const { SSH_TEST_KEY: key, NETNS_KNOWN_HOSTS: knownHosts, NETNS_IP_h1: h1, NETNS_IP_h2: h2 } = env;
  if (!key || !knownHosts || !h1 || !h2) return notRunning("the network-namespace hosts h1/h2 are", "netns");
  return { key, knownHosts, ip: { h1, h2 } };
}

export function sshdHost(): SshdHost | string {
  const { SSH_TEST_HOST: host, SSH_TEST_PORT: port, SSH_TEST_USER: user, SSH_TEST_KEY: key, SSH_TEST_KNOWN_HOSTS: knownHosts } = env;
  if (!host || !port || !user || !key || !knownHosts) return notRunning("the test sshd is", "sshd");
  return { host, port: Number(port), user, key, knownHosts };
}

export function slurmConf(): string {
  return env["SLURM_CONF"] ?? "";
}

/** The Slurm cluster's login node: the test sshd, when the cluster runs too. */
export function slurmLogin(): SshdHost | string {
  const sshd = sshdHost();
  if (slurmConf()) return sshd;
  return typeof sshd === "string" ? notRunning("the test sshd and Slurm cluster are", "sshd", "slurm") : notRunning("the test Slurm cluster is", "slurm");
}

let announced = false;

/**
 * The server, or undefined after skipping the test with the reason: a skip that says so on
 * stderr as well (once per test file), since a skipped remote-host test proves nothing. Under
 * SEER_REQUIRE_CLUSTER=1 a missing server fails the test instead.
 */
export function need<T>(t: TestContext, found: T | string): T | undefined {
  if (typeof found !== "string") return found;
  if (env["SEER_REQUIRE_CLUSTER"] === "1") throw new Error(`${found}; SEER_REQUIRE_CLUSTER=1 requires the test servers of scripts/cluster`);
  t.skip(`${found}; SEER_REQUIRE_CLUSTER=1 makes this a failure`);
  if (!announced) {
    announced = true;
    process.stderr.write(`SKIPPING remote-host tests: ${found}. They run only with the test servers of scripts/cluster (scripts/cluster/README.md; .ci/run starts them and sets SEER_REQUIRE_CLUSTER=1).\n`);
  }
  return undefined;
}

/** `start-netns-hosts.sh cut|restore HOST`. */
export function netnsLink(action: "cut" | "restore", host: string): void {
  const r = spawnSync("bash", [path.join(SCRIPTS, "start-netns-hosts.sh"), action, host], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`start-netns-hosts.sh ${action} ${host}: ${r.stderr}`);
}

/** A short temp folder under /tmp (Unix socket paths are short). */
export function shortTemp(prefix: string): string {
  return mkdtempSync(path.join("/tmp", prefix));
}

export interface SeerRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `seer` without blocking the event loop; `watch` sees stderr as it grows. */
export function seerAsync(args: string[], o: { cwd: string; timeoutMs?: number; env?: Record<string, string>; watch?(stderr: string, child: ChildProcess): void }): Promise<SeerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEER_BIN, ...args], { cwd: o.cwd, env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...o.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 300_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      try {
        o.watch?.(stderr, child);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Every path below `dir` whose name contains `part`. */
export function findNamed(dir: string, part: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (e.includes(part)) out.push(p);
    if (lstatSync(p).isDirectory()) out.push(...findNamed(p, part));
  }
  return out;
}
