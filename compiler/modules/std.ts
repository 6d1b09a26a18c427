/** Where the standard library ships: `recipes/std/` of the installed package. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../core/package-root.js";

export { packageRoot };

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
