/** Issue #15: filesystem failures that are the user's environment get the path and what to do, exit 3, never "internal error" (exit 70). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fsProblem } from "../../core/fs/errors.js";
import { seer } from "../helpers/cli.js";
import { FIXTURES } from "../helpers/paths.js";

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-fs-errors-"));
  copyFileSync(path.join(FIXTURES, "run", "tiny.seer"), path.join(dir, "tiny.seer"));
  return dir;
}

test("a file where .seer or runs/ should be: exit 3 naming the path and what to do", () => {
  for (const [name, code] of [[".seer", "EEXIST"], ["runs", "ENOTDIR"]] as const) {
    const dir = project();
    writeFileSync(path.join(dir, name), "not a folder");
    const r = seer(["run", "tiny.seer", "--only", "data/shapes"], { cwd: dir, timeout: 120_000 });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`seer: cannot use ${name.replace(".", "\\.")}\\S* \\(${code}\\): .*move`));
    assert.doesNotMatch(r.stderr, /SEER9000|bug in seer/);
  }
});

test("read-only and full disks are the environment's, with advice", () => {
  const err = (code: string) => Object.assign(new Error(`${code}: x`), { code, path: "/p/.seer/stages" });
  assert.match(fsProblem(err("EROFS"))!.message, /cannot use \/p\/\.seer\/stages \(EROFS\): the file system is read-only/);
  assert.match(fsProblem(err("ENOSPC"))!.message, /disk is full; .*rerun/);
  assert.equal(fsProblem(new Error("plain")), null);
  assert.equal(fsProblem(Object.assign(new Error("x"), { code: "ERR_ASSERTION" })), null);
});
