/** Where the standard library ships: `recipes/std/` of the installed package. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The package root: the nearest ancestor of this file with seer's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "seer") return (root = dir);
      } catch {
        // keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cannot find the seer package root");
    dir = up;
  }
}

export function stdDir(): string {
  return path.join(packageRoot(), "recipes", "std");
}

export function stdModuleNames(): string[] {
  try {
    return readdirSync(stdDir()).filter((f) => f.endsWith(".seer")).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}
