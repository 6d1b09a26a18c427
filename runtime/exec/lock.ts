/**
 * One `seer run` (or `seer pretrain`) per project at a time: `.seer/lock` names its holder
 * (pid, host, boot, process start time). The lock file appears whole, by a hard link of a
 * finished file, so nobody ever reads a half-written lock. A stale lock (its holder crashed or
 * was killed, or the pid now belongs to another process) is taken over under a second, short
 * lock, `.seer/lock.break`, so that of several runs started together exactly one takes it.
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describeHolder, holderState, me, parseHolder, type Holder } from "./lock-holder.js";

export class LockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: Holder | null,
    elsewhere: boolean,
  ) {
    const who = holder ? describeHolder(holder) : "another process";
    super(
      elsewhere
        ? `another seer run (${who}) holds this project's lock, and it cannot be checked from this host; if that run is gone, delete ${file} and run again`
        : `another seer run (${who}) is using this project; wait for it to finish or stop it (lock: ${file})`,
    );
    this.name = "LockedError";
  }
}

export interface Lock {
  /** The stale holder whose lock this one replaced, if any (worth a notice). */
  readonly tookOver: Holder | null;
  release(): void;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** Creates `file` holding `text`, whole, or returns false if it exists. */
function createWhole(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.new`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if (e instanceof Error && "code" in e && e.code === "EEXIST") return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Removes `file` if it still holds `text` (checked and removed while holding the break lock). */
function breakStale(file: string, text: string): void {
  const breaker = `${file}.break`;
  const mine = JSON.stringify(me(randomBytes(8).toString("hex")));
  for (let waited = 0; waited < 5000; waited += 20) {
    if (createWhole(breaker, mine)) {
      try {
        if (read(file) === text) unlinkSync(file);
      } finally {
        if (read(breaker) === mine) unlinkSync(breaker);
      }
      return;
    }
    // A breaker is held for microseconds; one whose holder is gone was left by a crash.
    const b = read(breaker);
    const h = b === null ? null : parseHolder(b);
    if (b !== null && (h === null || holderState(h) === "stale") && read(breaker) === b) {
      try {
        unlinkSync(breaker);
      } catch {
        // removed by another run first
      }
      continue;
    }
    sleep(20);
  }
}

export function acquireLock(file: string): Lock {
  mkdirSync(path.dirname(file), { recursive: true });
  const self = me(randomBytes(8).toString("hex"));
  const text = `${JSON.stringify(self)}\n`;
  let tookOver: Holder | null = null;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createWhole(file, text)) {
      let held = true;
      return {
        tookOver,
        release: () => {
          if (!held) return;
          held = false;
          if (read(file) === text) unlinkSync(file);
        },
      };
    }
    const current = read(file);
    if (current === null) continue; // released meanwhile
    const holder = parseHolder(current);
    const state = holder === null ? "stale" : holderState(holder);
    if (state !== "stale") throw new LockedError(file, holder, state === "elsewhere");
    tookOver = holder;
    breakStale(file, current);
  }
  throw new LockedError(file, parseHolder(read(file) ?? ""), false);
}
