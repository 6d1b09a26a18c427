/**
 * Fault injection for the fault test (test/cli/faults.test.ts), loaded into a real `seer` process
 * with `node --import`. Every filesystem write of the main thread (create, write, append, rename,
 * link, copy, mkdir; sync, callback and promise forms) is counted; with SEER_FAULT_AT=N the N-th
 * fails with SEER_FAULT_CODE (ENOSPC by default), as a full disk would: a failing write or append
 * first leaves half its data in the file. SEER_FAULT_COUNT=FILE writes the count there at exit.
 * Inactive in any other process or thread (the variables are removed before anything starts).
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { isMainThread } from "node:worker_threads";

const at = Number(process.env["SEER_FAULT_AT"] ?? 0);
const code = process.env["SEER_FAULT_CODE"] ?? "ENOSPC";
const countFile = process.env["SEER_FAULT_COUNT"];
delete process.env["SEER_FAULT_AT"];
delete process.env["SEER_FAULT_CODE"];
delete process.env["SEER_FAULT_COUNT"];
delete process.env["NODE_OPTIONS"];

const writeFileSyncAsIs = fs.writeFileSync;
let n = 0;
/** Counts one write; the fault's error if this is the one to fail. */
function next(syscall: string, target: unknown): Error | null {
  n++;
  if (n !== at) return null;
  const where = typeof target === "string" ? target : String(target);
  return Object.assign(new Error(`${code}: injected fault, ${syscall} '${where}'`), { code, errno: -28, syscall, path: where });
}

/** Half of what a failing write would have written. */
function half(data: unknown): string | Uint8Array {
  if (typeof data === "string") return data.slice(0, Math.floor(data.length / 2));
  if (data instanceof Uint8Array) return data.subarray(0, Math.floor(data.length / 2));
  return "";
}

type Fn = (...args: never[]) => unknown;
/** The open flag of a writeFileSync call's options (an append keeps what the file held). */
const flagOf = (options: unknown): string => (typeof options === "object" && options !== null && "flag" in options && typeof options.flag === "string" ? options.flag : "w");
const writeFlags = (flags: unknown): boolean => (typeof flags === "string" ? /[wa+]/.test(flags) : typeof flags === "number" ? (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0 : false);

function wrapSync(name: keyof typeof fs, partial: boolean, isWrite: (args: unknown[]) => boolean = () => true): void {
  const original = fs[name] as Fn;
  const replaced = (...args: unknown[]): unknown => {
    const e = isWrite(args) ? next(name, args[0]) : null;
    if (e) {
      if (partial && typeof args[0] === "string") writeFileSyncAsIs(args[0], half(args[1]), { flag: name === "appendFileSync" ? "a" : flagOf(args[2]) });
      throw e;
    }
    // Node's appendFileSync calls fs.writeFileSync: call the unwrapped one, so one append counts once.
    if (name === "appendFileSync") return writeFileSyncAsIs(args[0] as string, args[1] as string, { flag: "a" });
    return (original as (...a: unknown[]) => unknown).apply(fs, args);
  };
  Object.defineProperty(fs, name, { value: replaced, writable: true, configurable: true, enumerable: true });
}

function wrapCallback(name: keyof typeof fs): void {
  const original = fs[name] as Fn;
  const replaced = (...args: unknown[]): unknown => {
    const e = next(name, args[0]);
    const cb = args[args.length - 1];
    if (e && typeof cb === "function") {
      process.nextTick(() => (cb as (err: Error) => void)(e));
      return undefined;
    }
    return (original as (...a: unknown[]) => unknown).apply(fs, args);
  };
  Object.defineProperty(fs, name, { value: replaced, writable: true, configurable: true, enumerable: true });
}

function wrapPromise(name: "writeFile" | "appendFile" | "rename" | "mkdir" | "copyFile" | "link"): void {
  const p = fs.promises as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const original = p[name]!;
  p[name] = async (...args: unknown[]): Promise<unknown> => {
    const e = next(`promises.${name}`, args[0]);
    if (e) {
      if ((name === "writeFile" || name === "appendFile") && typeof args[0] === "string") await original.call(fs.promises, args[0], half(args[1]));
      throw e;
    }
    return original.apply(fs.promises, args);
  };
}

if (isMainThread && (at > 0 || countFile)) {
  wrapSync("writeFileSync", true);
  wrapSync("appendFileSync", true);
  wrapSync("renameSync", false);
  wrapSync("mkdirSync", false);
  wrapSync("linkSync", false);
  wrapSync("copyFileSync", false);
  wrapSync("openSync", false, (args) => writeFlags(args[1]));
  for (const name of ["writeFile", "appendFile", "rename", "mkdir", "copyFile", "link"] as const) {
    wrapCallback(name);
    wrapPromise(name);
  }
  syncBuiltinESMExports();
  if (countFile) process.on("exit", () => writeFileSyncAsIs(countFile, String(n)));
}
