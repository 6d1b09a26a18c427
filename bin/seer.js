#!/usr/bin/env node
// The `seer` command: a thin shim over the bundled CLI (built by `npm ci` via `prepare`).
import { main } from "../dist/cli.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
