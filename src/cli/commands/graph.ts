/** `seer graph RECIPE [--format json|dot|mermaid]`: the execution graph of a recipe. */
import { sortedPretty } from "../../../core/json.js";
import { lowerRecipe } from "../../../compiler/lower/lower.js";
import { toDot, toMermaid } from "../../../compiler/lower/render-graph.js";
import { EXIT, UsageError } from "../errors.js";
import type { ColorMode } from "../output.js";
import { compileOrReport } from "../compile-recipe.js";
import { SEER_VERSION } from "../version.js";

export function runGraph(file: string, opts: { format: string; set: string[]; color: ColorMode }): number {
  if (!["json", "dot", "mermaid"].includes(opts.format)) throw new UsageError(`Unknown --format \`${opts.format}\`; expected json, dot or mermaid.`);
  const c = compileOrReport([file], opts.set, opts.color);
  if (typeof c === "number") return c;
  const g = lowerRecipe(c, c.program.roots[0]!, SEER_VERSION);
  process.stdout.write(opts.format === "json" ? `${sortedPretty(g)}\n` : opts.format === "dot" ? toDot(g) : toMermaid(g));
  return EXIT.ok;
}
