/**
 * Who holds a lock, and whether that holder still runs. A holder is a process on a host: its
 * pid, the host's name and boot, and the process's own start time, so that a pid reused by an
 * unrelated process after a crash (or pid 1) is not taken for the run that wrote the lock.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface Holder {
  pid: number;
  host: string;
  /** The host's boot id (Linux), or null: a lock from an earlier boot is stale. */
  boot: string | null;
  /** The process's start time in clock ticks after boot (Linux), or null where unknown. */
  procStart: number | null;
  /** When the holder took the lock (ISO time). */
  started: string;
  /** Tells this holder's lock from a later one by the same process. */
  nonce: string;
  /** Set for a lock written by an older seer: its file held only a pid. */
  legacy?: true;
}

function readOr(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function bootId(): string | null {
  return readOr("/proc/sys/kernel/random/boot_id")?.trim() || null;
}

/** Field 22 of /proc/PID/stat (after the parenthesised command name, which may hold spaces). */
export function processStart(pid: number): number | null {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const v = Number(fields[19]);
  return Number.isInteger(v) ? v : null;
}

export function me(nonce: string): Holder {
  return { pid: process.pid, host: hostname(), boot: bootId(), procStart: processStart(process.pid), started: new Date().toISOString(), nonce };
}

/** Parses a lock file's text; null for one that is empty or unreadable (a holder still writing it never shows: locks are linked into place whole). */
export function parseHolder(text: string): Holder | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { pid: Number(t), host: hostname(), boot: null, procStart: null, started: "", nonce: "", legacy: true };
  try {
    const v: unknown = JSON.parse(t);
    if (typeof v !== "object" || v === null) return null;
    const o = v as Record<string, unknown>;
    if (typeof o["pid"] !== "number" || typeof o["host"] !== "string" || typeof o["nonce"] !== "string") return null;
    return {
      pid: o["pid"],
      host: o["host"],
      boot: typeof o["boot"] === "string" ? o["boot"] : null,
      procStart: typeof o["procStart"] === "number" ? o["procStart"] : null,
      started: typeof o["started"] === "string" ? o["started"] : "",
      nonce: o["nonce"],
    };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e instanceof Error && "code" in e && e.code === "EPERM";
  }
}

/** `live`: the holder runs; `stale`: it is gone (crashed, killed, rebooted); `elsewhere`: another host's, which cannot be checked from here. */
export type HolderState = "live" | "stale" | "elsewhere";

export function holderState(h: Holder): HolderState {
  if (h.host !== hostname()) return "elsewhere";
  const boot = bootId();
  if (h.boot !== null && boot !== null && h.boot !== boot) return "stale";
  if (!alive(h.pid)) return "stale";
  if (h.legacy) return (readOr(`/proc/${h.pid}/cmdline`) ?? "seer").includes("seer") ? "live" : "stale";
  if (h.procStart === null) return "live";
  const now = processStart(h.pid);
  return now === null || now === h.procStart ? "live" : "stale";
}

export function describeHolder(h: Holder): string {
  const since = h.started ? `, started ${h.started.replace("T", " ").replace(/\.\d+Z$/, " UTC")}` : "";
  return `pid ${h.pid} on ${h.host}${since}`;
}
