// Build script: bundles the CLI into dist/cli.js with esbuild (fast start-up: one file,
// no TypeScript at run time) and, with --tests, compiles everything with tsc into build/
// for the node:test runner.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { readFileSync, rmSync } from "node:fs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// 1. Precompiled ajv validators (generated from the constructor definitions).
const genOut = path.join(root, "build", "gen-validators.mjs");
await build({ entryPoints: [path.join(root, "scripts/gen-validators.ts")], bundle: true, platform: "node", format: "esm", target: "node20", outfile: genOut, logLevel: "warning", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
execFileSync(process.execPath, [genOut, path.join(root, "compiler/schema/validators.generated.ts")], { stdio: "inherit" });

// 2. The CLI bundle.
rmSync(path.join(root, "dist"), { recursive: true, force: true });
await build({
  // The data-loader worker is its own entry: worker_threads load it by file name.
  entryPoints: { cli: path.join(root, "src/cli/main.ts"), "data-worker": path.join(root, "runtime/data/worker.ts") },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: path.join(root, "dist"),
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  // Runtime code (doctor, run) sits in chunks loaded on demand, off the `check` path.
  splitting: true,
  // tfjs and its backends are loaded lazily by the runtime, never by check/fmt/render.
  external: ["@tensorflow/*", "sharp"],
  banner: { js: "import { createRequire as __seerCreateRequire } from 'node:module'; const require = __seerCreateRequire(import.meta.url);" },
  sourcemap: "linked",
  define: { __SEER_VERSION__: JSON.stringify(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version) },
  logLevel: "warning",
});

if (process.argv.includes("--tests")) {
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" });
  } catch {
    process.exit(1);
  }
}
