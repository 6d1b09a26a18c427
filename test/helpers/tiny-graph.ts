/** The execution graph of test/fixtures/run/tiny.seer, compiled from a copy in a temp folder. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { lowerRecipe } from "../../compiler/lower/lower.js";
import type { ExecGraph, Stage } from "../../contract/graph.js";
import { ROOT } from "./paths.js";

export function tinyGraph(seer: string): ExecGraph {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-engine-"));
  const file = path.join(dir, "tiny.seer");
  writeFileSync(file, readFileSync(path.join(ROOT, "test", "fixtures", "run", "tiny.seer"), "utf8"));
  const c = compile([file]);
  assert.deepEqual(c.diagnostics.filter((d) => d.severity === "error"), []);
  return lowerRecipe(c, c.program.roots[0]!, seer);
}

export const byKind = (g: ExecGraph, kind: Stage["kind"]): Stage => g.stages.find((s) => s.kind === kind)!;
