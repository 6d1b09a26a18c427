/**
 * A run's failed stages as diagnostics from the catalog, at the declaration each stage comes
 * from: SEER6002 (the stage failed) and SEER6003 (no host can run it), with labelled notes
 * (stage, host, cause, log). Printed with the usual renderer after the progress view is done.
 */
import type { Compilation } from "../../../compiler/compile.js";
import { diag, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import { toJsonDiagnostic, type JsonDiagnostic } from "../../../core/diagnostics/render-json.js";
import { renderText } from "../../../core/diagnostics/render-text.js";
import type { StageFailure } from "../../../runtime/session/failures.js";
import { useColor, type ColorMode } from "../output.js";
import { declOfSource } from "./job.js";

export function failureDiagnostics(c: Compilation, failures: readonly StageFailure[]): Diagnostic[] {
  return failures.map((f) => {
    const span = declOfSource(c, f.source)?.info.ast.name.span ?? { file: f.source.file, start: 0, end: 0 };
    const notes = [`stage: ${f.stage} (${f.kind})`, ...(f.reason === "error" ? [`host: ${f.host}`] : []), `cause: ${f.cause}`, ...(f.attempts > 1 ? [`attempts: ${f.attempts}`] : []), ...(f.log ? [`log: ${f.log}`] : [])];
    return diag(f.reason === "unplaceable" ? "StageUnplaceable" : "StageFailed", span, { stage: f.stage }, { notes });
  });
}

/** The diagnostics as text on stderr (no summary line: the run's own summary precedes them). */
export function printFailures(c: Compilation, diags: readonly Diagnostic[], color: ColorMode): void {
  if (diags.length > 0) process.stderr.write(`${renderText(diags, { color: useColor(color, process.stderr), files: c.program.files })}`);
}

/** The JSON form (`seer check --format json`'s diagnostics, with the notes). */
export function failuresJson(c: Compilation, diags: readonly Diagnostic[]): (JsonDiagnostic & { notes: string[] })[] {
  return diags.map((d) => ({ ...toJsonDiagnostic(d, c.program.files), notes: d.notes ?? [] }));
}
