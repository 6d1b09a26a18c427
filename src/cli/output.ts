/** Renders diagnostics in the requested format to the right stream. */
import { renderGithub } from "../../core/diagnostics/render-github.js";
import { renderJson } from "../../core/diagnostics/render-json.js";
import { renderSarif } from "../../core/diagnostics/render-sarif.js";
import { renderText, summaryLine } from "../../core/diagnostics/render-text.js";
import type { Diagnostic } from "../../core/diagnostics/diagnostic.js";
import type { SourceFile } from "../../core/source/source-file.js";
import { UsageError } from "./errors.js";
import { SEER_VERSION } from "./version.js";

export type DiagFormat = "text" | "json" | "sarif" | "github";
export type ColorMode = "auto" | "always" | "never";

export interface OutputOptions {
  format: DiagFormat;
  color: ColorMode;
}

export function parseFormat(v: string | undefined): DiagFormat {
  const f = v ?? "text";
  if (f === "text" || f === "json" || f === "sarif" || f === "github") return f;
  throw new UsageError(`Unknown --format \`${f}\`; expected text, json, sarif or github.`);
}

export function parseColor(v: string | undefined): ColorMode {
  const c = v ?? "auto";
  if (c === "auto" || c === "always" || c === "never") return c;
  throw new UsageError(`Unknown --color \`${c}\`; expected auto, always or never.`);
}

export function useColor(mode: ColorMode, stream: NodeJS.WriteStream): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  return Boolean(stream.isTTY) && !process.env["NO_COLOR"] && process.env["TERM"] !== "dumb";
}

export function emitDiagnostics(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>, fileCount: number, opts: OutputOptions): void {
  switch (opts.format) {
    case "json":
      process.stdout.write(`${JSON.stringify(renderJson(diags, files, fileCount), null, 2)}\n`);
      return;
    case "sarif":
      process.stdout.write(`${JSON.stringify(renderSarif(diags, files, SEER_VERSION), null, 2)}\n`);
      return;
    case "github":
      process.stdout.write(renderGithub(diags, files));
      return;
    case "text": {
      const color = useColor(opts.color, process.stderr);
      if (diags.length > 0) process.stderr.write(`${renderText(diags, { color, files })}\n`);
      const errors = diags.filter((d) => d.severity === "error").length;
      const warnings = diags.filter((d) => d.severity === "warning").length;
      process.stderr.write(`${summaryLine(errors, warnings, fileCount)}\n`);
    }
  }
}
