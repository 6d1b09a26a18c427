/** The git state of a project for its run record: commit, dirty flag, repository root. */
import { execFileSync } from "node:child_process";

export interface GitInfo {
  commit: string;
  /** Uncommitted changes, untracked files included (`git status --porcelain` is not empty). */
  dirty: boolean;
  root: string;
}

/**
 * The repository containing `dir`; null outside a repository, before its first commit, or
 * when git is not installed. Runs git directly (no shell) and takes no index lock.
 */
export function gitInfo(dir: string): GitInfo | null {
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" } });
  try {
    const [root, commit] = git(["rev-parse", "--show-toplevel", "HEAD"]).trim().split("\n");
    if (!root || !commit) return null;
    return { commit, dirty: git(["status", "--porcelain"]).trim() !== "", root };
  } catch {
    return null;
  }
}
