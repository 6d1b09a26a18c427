/** gitInfo: commit, dirty flag and root of a real (temporary) repository; null outside one. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gitInfo } from "../../../runtime/records/git.js";
import { tempDir } from "../../helpers/records.js";

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" }).trim();
}

test("gitInfo: clean after a commit, dirty with a modified or an untracked file, from a subdirectory too", () => {
  const root = realpathSync(tempDir("seer-git-"));
  git(root, "init", "-q");
  assert.equal(gitInfo(root), null, "no commit yet");
  mkdirSync(path.join(root, "recipes"));
  writeFileSync(path.join(root, "recipes", "a.seer"), "// a\n");
  git(root, "add", ".");
  git(root, "commit", "-q", "-m", "first");
  const head = git(root, "rev-parse", "HEAD");
  assert.deepEqual(gitInfo(path.join(root, "recipes")), { commit: head, dirty: false, root });
  writeFileSync(path.join(root, "recipes", "a.seer"), "// b\n");
  assert.deepEqual(gitInfo(root), { commit: head, dirty: true, root });
  git(root, "checkout", "-q", "--", ".");
  assert.equal(gitInfo(root)?.dirty, false);
  writeFileSync(path.join(root, "new.seer"), "");
  assert.equal(gitInfo(root)?.dirty, true, "untracked files count");
});

test("gitInfo is null outside a repository and for a missing directory", () => {
  const outside = tempDir("seer-nogit-");
  assert.equal(gitInfo(outside), null);
  assert.equal(gitInfo(path.join(outside, "missing")), null);
});
