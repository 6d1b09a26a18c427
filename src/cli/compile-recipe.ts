/** The start of every command that needs a clean recipe: compile, or print the diagnostics and give the exit code. */
import { compile, type Compilation } from "../../compiler/compile.js";
import { hasErrors } from "../../core/diagnostics/diagnostic.js";
import { EXIT } from "./errors.js";
import { emitDiagnostics, type ColorMode } from "./output.js";

/** The compilation, or `EXIT.recipeErrors` once its errors are printed (text, on stderr). */
export function compileOrReport(files: string[], set: readonly string[], color: ColorMode): Compilation | number {
  const c = compile(files, { overrides: set.map((text) => ({ text })) });
  if (!hasErrors(c.diagnostics)) return c;
  emitDiagnostics(c.diagnostics, c.program.files, 1, { format: "text", color });
  return EXIT.recipeErrors;
}
