/** `seer check [PATHS...]`: parse, resolve and type-check recipes. */
import { compile } from "../../../compiler/compile.js";
import { hasErrors } from "../../../core/diagnostics/diagnostic.js";
import { EXIT } from "../errors.js";
import { expandPaths } from "../files.js";
import { emitDiagnostics, type OutputOptions } from "../output.js";

export interface CheckOptions extends OutputOptions {
  set: string[];
}

export function runCheck(paths: string[], opts: CheckOptions): number {
  const files = expandPaths(paths.length > 0 ? paths : ["."]);
  const result = compile(files, { overrides: opts.set.map((text) => ({ text })) });
  emitDiagnostics(result.diagnostics, result.program.files, files.length, opts);
  return hasErrors(result.diagnostics) ? EXIT.recipeErrors : EXIT.ok;
}
