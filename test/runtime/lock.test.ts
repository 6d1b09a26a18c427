/**
 * Issue #15: the project lock. A lock names its holder (pid, host, boot, process start), so a
 * stale lock (killed run, reused pid, pid 1, earlier boot) is taken over, a live one refuses, and
 * of several runs started together on a stale lock exactly one gets it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { acquireLock, LockedError } from "../../runtime/exec/lock.js";
import { processStart } from "../../runtime/exec/lock-holder.js";
import { contenderScript, holdLock } from "../helpers/lock-holder.js";

const fresh = (): string => path.join(mkdtempSync(path.join(tmpdir(), "seer-lock-")), "lock");

test("lock: names its holder; release removes it; a second acquire in the same project refuses", () => {
  const file = fresh();
  const lock = acquireLock(file);
  const held = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  assert.equal(held["pid"], process.pid);
  assert.equal(held["host"], hostname());
  assert.equal(held["procStart"], processStart(process.pid));
  assert.match(String(held["started"]), /^\d{4}-\d\d-\d\dT/);
  assert.throws(() => acquireLock(file), (e: unknown) => e instanceof LockedError && /pid \d+ on .+, started \d{4}-/.test(e.message));
  lock.release();
  assert.equal(existsSync(file), false);
  assert.equal(acquireLock(file).tookOver, null);
});

test("lock: stale locks are taken over: a dead pid, a reused pid (live process, other start time), an old-format pid of a non-seer process, an earlier boot, a corrupt file", () => {
  const sleeper = spawn("sleep", ["60"]);
  try {
    const pid = sleeper.pid!;
    const stale = [
      JSON.stringify({ pid: 999_999_999, host: hostname(), boot: null, procStart: null, started: "2026-01-01T00:00:00Z", nonce: "a" }),
      JSON.stringify({ pid, host: hostname(), boot: null, procStart: (processStart(pid) ?? 0) + 1, started: "2026-01-01T00:00:00Z", nonce: "b" }),
      `${pid}\n`,
      "1\n",
      JSON.stringify({ pid, host: hostname(), boot: "another-boot", procStart: processStart(pid), started: "", nonce: "c" }),
      "{\"pid\": ",
    ];
    for (const text of stale) {
      const file = fresh();
      writeFileSync(file, text);
      const lock = acquireLock(file);
      assert.equal(JSON.parse(readFileSync(file, "utf8")).pid, process.pid, text);
      lock.release();
    }
  } finally {
    sleeper.kill("SIGKILL");
  }
});

test("lock: a live holder refuses; another host's lock refuses with how to clear it; once the holder is killed its lock is stale", async () => {
  const file = fresh();
  const holder = await holdLock(file);
  assert.throws(() => acquireLock(file), (e: unknown) => e instanceof LockedError && e.message.includes(`pid ${holder.pid} on ${hostname()}`) && /wait for it to finish/.test(e.message));
  holder.kill("SIGKILL");
  await new Promise((r) => holder.once("exit", r));
  const lock = acquireLock(file);
  assert.equal(lock.tookOver?.pid, holder.pid);
  lock.release();

  writeFileSync(file, JSON.stringify({ pid: 4242, host: "gpu-node-7", boot: null, procStart: 1, started: "2026-12-01T10:00:00.000Z", nonce: "x" }));
  assert.throws(() => acquireLock(file), (e: unknown) => e instanceof LockedError && /pid 4242 on gpu-node-7, started 2026-12-01 10:00:00 UTC/.test(e.message) && e.message.includes(`delete ${file}`));
});

test("lock: 4 processes taking over each other's stale locks for 3 s are never inside together", async () => {
  const file = fresh();
  writeFileSync(file, "999999999\n");
  const go = `${file}.go`;
  const children = Array.from({ length: 4 }, () => spawn(process.execPath, ["--input-type=module", "-e", contenderScript(file, 3000, go)], { stdio: ["ignore", "pipe", "inherit"] }));
  const outputs = children.map((c) => new Promise<string>((resolve) => {
    let out = "";
    c.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    c.once("exit", () => resolve(out.trim()));
  }));
  await new Promise((r) => setTimeout(r, 500)); // all started and waiting for the go
  writeFileSync(go, "");
  const said = await Promise.all(outputs);
  assert.deepEqual(said.filter((s) => !/^inside \d+$/.test(s)), [], said.join(", "));
  const total = said.reduce((n, s) => n + Number(s.split(" ")[1]), 0);
  assert.ok(total >= 20, `${total} takeovers: enough contention to mean something`);
  assert.equal(existsSync(`${file}.break`), false);
});
