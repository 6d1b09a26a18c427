// Runs exactly the compiled *.test.js files (node --test on a directory would also run
// helper modules under test/ as if they were tests).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const filter = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : f.endsWith(".test.js") ? [p] : [];
  });
}

// Filters match the path relative to the repository root (build/test/...), so a filter never
// matches the checkout's own folder name.
// The longest file (the quickstart learning tests: minutes of training on each engine) starts
// first, so the other slot works through everything else meanwhile instead of waiting for it.
const LONGEST_FIRST = ["quickstart-learns"];
const rank = (f) => (LONGEST_FIRST.some((x) => f.includes(x)) ? 0 : 1);
const files = walk(path.join(root, "build", "test"))
  .filter((f) => filter.length === 0 || filter.some((x) => path.relative(root, f).includes(x)))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
if (files.length === 0) {
  console.error("no test files found (build first: node scripts/build.mjs --tests)");
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
