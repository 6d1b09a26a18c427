/**
 * Preloaded into a `seer` run (`node --import`) by measured-cli.ts: on exit it writes the
 * process's peak resident memory (KiB) to the file named by SEER_TEST_RSS_FILE.
 */
import { writeFileSync } from "node:fs";

const out = process.env["SEER_TEST_RSS_FILE"];
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
