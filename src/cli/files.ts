/** Expands command-line paths: a directory means every `.seer` file below it. */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";

const SKIP = new Set(["node_modules", ".git", ".seer", "dist", "build", "runs"]);

export function expandPaths(inputs: string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new UsageError(`No such file or directory: ${input}`);
    }
    if (st.isDirectory()) {
      const found = walk(input);
      if (found.length === 0) throw new UsageError(`No .seer files under ${input}`);
      out.push(...found);
    } else {
      out.push(input);
    }
  }
  return [...new Set(out)];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith(".") || SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && e.name.endsWith(".seer")) out.push(p);
  }
  return out;
}
