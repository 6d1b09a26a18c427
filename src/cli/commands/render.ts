/** `seer render FILE [--format json|yaml]`: the fully resolved recipe. */
import { lowerRecipe } from "../../../compiler/lower/lower.js";
import { renderRecipe } from "../../../compiler/render.js";
import { SEER_VERSION } from "../version.js";
import { declaredScheduleFacts } from "./schedule-facts.js";
import { EXIT, UsageError } from "../errors.js";
import { expandPaths } from "../files.js";
import type { ColorMode } from "../output.js";
import { compileOrReport } from "../compile-recipe.js";

export interface RenderOptions {
  format: string;
  color: ColorMode;
  set: string[];
}

export async function runRender(file: string, opts: RenderOptions): Promise<number> {
  if (opts.format !== "json" && opts.format !== "yaml") throw new UsageError(`Unknown --format \`${opts.format}\`; expected json or yaml.`);
  const files = expandPaths([file]);
  if (files.length !== 1) throw new UsageError("`seer render` takes one recipe file.");
  const result = compileOrReport(files, opts.set, opts.color);
  if (typeof result === "number") return result;
  const root = result.program.roots[0]!;
  const rendered = renderRecipe(result, root);
  // What each pretraining works out to (steps, images seen, scaled learning rate), as `seer plan` shows it.
  for (const [name, facts] of declaredScheduleFacts(lowerRecipe(result, root, SEER_VERSION))) {
    const decl = rendered.declarations[name];
    if (decl) decl["derived"] = { ...facts };
  }
  if (opts.format === "json") process.stdout.write(`${JSON.stringify(rendered, null, 2)}\n`);
  else {
    // Loaded on demand (it is large); bundled as CommonJS, so the API may sit on `default`.
    const mod = (await import("yaml")) as typeof import("yaml") & { default?: typeof import("yaml") };
    const stringify = typeof mod.stringify === "function" ? mod.stringify : mod.default!.stringify;
    process.stdout.write(stringify(rendered, { sortMapEntries: false }));
  }
  return EXIT.ok;
}
