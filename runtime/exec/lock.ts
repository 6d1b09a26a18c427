/**
 * One `seer run` per project at a time: `.seer/lock` holds the owner's pid, created with
 * O_EXCL. A lock whose process is gone (a run killed with SIGKILL) is taken over.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export class LockedError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(`another seer run (pid ${pid}) is using this project; wait for it to finish or stop it (lock: ${file})`);
    this.name = "LockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface Lock {
  release(): void;
}

export function acquireLock(file: string): Lock {
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      let held = true;
      return {
        release: () => {
          if (!held) return;
          held = false;
          try {
            if (Number(readFileSync(file, "utf8").trim()) === process.pid) unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new LockedError(file, pid);
      try {
        unlinkSync(file); // stale: its owner is gone
      } catch {
        // someone else removed it first
      }
    }
  }
  throw new LockedError(file, -1);
}
