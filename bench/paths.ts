/** Where the benchmarks find the project (they run from build/bench/). */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SEER_BIN = path.join(ROOT, "bin", "seer.js");
export const QUICKSTART = path.join(ROOT, "recipes", "quickstart.seer");
