/** seer's version, injected at bundle time (falls back to reading package.json). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../compiler/modules/std.js";

declare const __SEER_VERSION__: string | undefined;

function readVersion(): string {
  if (typeof __SEER_VERSION__ === "string") return __SEER_VERSION__;
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

export const SEER_VERSION = readVersion();
