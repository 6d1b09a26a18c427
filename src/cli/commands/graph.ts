/** `seer graph RECIPE [--format json|dot|mermaid]`: the execution graph of a recipe. */
import { sortedPretty } from "../../../core/json.js";
import { lowerRecipe } from "../../../compiler/lower/lower.js";
import { toDot, toMermaid } from "../../../compiler/lower/render-graph.js";
import { EXIT, UsageError } from "../errors.js";
import type { ColorMode } from "../output.js";
import { compileOrReport } from "../compile-recipe.js";
import { SEER_VERSION } from "../version.js";
import { declaredScheduleFacts, scheduleNote } from "./schedule-facts.js";

export function runGraph(file: string, opts: { format: string; set: string[]; color: ColorMode }): number {
  if (!["json", "dot", "mermaid"].includes(opts.format)) throw new UsageError(`Unknown --format \`${opts.format}\`; expected json, dot or mermaid.`);
  const c = compileOrReport([file], opts.set, opts.color);
  if (typeof c === "number") return c;
  const g = lowerRecipe(c, c.program.roots[0]!, SEER_VERSION);
  // The JSON is the contract (the specs hold the numbers); the drawings label each pretraining with what it works out to.
  const notes = new Map([...declaredScheduleFacts(g)].map(([name, f]) => [`pretrain/${name}`, scheduleNote(f)]));
  process.stdout.write(opts.format === "json" ? `${sortedPretty(g)}\n` : opts.format === "dot" ? toDot(g, notes) : toMermaid(g, notes));
  return EXIT.ok;
}
