/** A real process that takes a project lock the way `seer run` does and holds it until killed. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const LOCK_MODULE = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "runtime", "exec", "lock.js")).href;

/** The script a child runs: tries the lock, prints `got` or `locked`, then holds what it got for `holdMs`. */
function lockScript(file: string, holdMs: number): string {
  return `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
let lock;
try { lock = acquireLock(${JSON.stringify(file)}); console.log("got"); } catch (e) { console.log(e.name === "LockedError" ? "locked" : "error " + e.message); process.exit(0); }
setTimeout(() => { lock.release(); process.exit(0); }, ${holdMs});`;
}

/** Starts a holder; resolves once it holds the lock. */
export async function holdLock(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", lockScript(file, 600_000)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) => (d.toString().startsWith("got") ? resolve() : reject(new Error(`holder: ${d.toString()}`))));
    child.once("exit", () => reject(new Error("holder exited")));
  });
  return child;
}

/**
 * The script of a contender in a stress test: until `ms` have passed it takes the lock, checks
 * that nobody else is inside (an O_EXCL marker), then "crashes": leaves a stale lock behind (a
 * dead pid), so that every later acquisition is a takeover. Prints `inside N` or `VIOLATION`.
 */
export function contenderScript(file: string, ms: number, go: string): string {
  return `import { existsSync, unlinkSync, writeFileSync } from "node:fs";
const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
const nap = (t) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, t);
while (!existsSync(${JSON.stringify(go)})) nap(2);
const end = Date.now() + ${ms};
let inside = 0;
while (Date.now() < end) {
  try { acquireLock(${JSON.stringify(file)}); } catch (e) { if (e.name !== "LockedError") throw e; nap(1); continue; }
  try { writeFileSync(${JSON.stringify(`${file}.inside`)}, "", { flag: "wx" }); } catch { console.log("VIOLATION"); process.exit(0); }
  inside++;
  nap(1);
  unlinkSync(${JSON.stringify(`${file}.inside`)});
  writeFileSync(${JSON.stringify(file)}, "999999999\\n");
}
console.log("inside " + inside);`;
}
