/** `seer render FILE [--format json|yaml]`: the fully resolved recipe. */
import { stringify } from "yaml";
import { compile } from "../../../compiler/compile.js";
import { hasErrors } from "../../../compiler/diagnostics/diagnostic.js";
import { renderRecipe } from "../../../compiler/render.js";
import { EXIT, UsageError } from "../errors.js";
import { expandPaths } from "../files.js";
import { emitDiagnostics, type ColorMode } from "../output.js";

export interface RenderOptions {
  format: string;
  color: ColorMode;
  set: string[];
}

export function runRender(file: string, opts: RenderOptions): number {
  if (opts.format !== "json" && opts.format !== "yaml") throw new UsageError(`Unknown --format \`${opts.format}\`; expected json or yaml.`);
  const files = expandPaths([file]);
  if (files.length !== 1) throw new UsageError("`seer render` takes one recipe file.");
  const result = compile(files, { overrides: opts.set.map((text) => ({ text })) });
  if (hasErrors(result.diagnostics)) {
    emitDiagnostics(result.diagnostics, result.program.files, 1, { format: "text", color: opts.color });
    return EXIT.recipeErrors;
  }
  const rendered = renderRecipe(result, result.program.roots[0]!);
  process.stdout.write(opts.format === "json" ? `${JSON.stringify(rendered, null, 2)}\n` : stringify(rendered, { sortMapEntries: false }));
  return EXIT.ok;
}
