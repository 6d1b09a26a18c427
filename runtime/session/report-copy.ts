/** The report stage's files, copied into the run folder beside the record. */
import { copyFileSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { StageResult } from "../exec/scheduler.js";

/** Copies the report stage's files into the run folder; returns the HTML file's name there. */
export function copyReport(results: ReadonlyMap<string, StageResult>, runDir: string): string | null {
  let html: string | null = null;
  for (const r of results.values()) {
    if (r.stage.kind !== "report" || !r.dir || !existsSync(r.dir)) continue;
    for (const f of readdirSync(r.dir)) {
      if (f === "manifest.json") continue;
      copyFileSync(path.join(r.dir, f), path.join(runDir, f));
      if (f.endsWith(".html")) html ??= f;
    }
  }
  return html;
}
