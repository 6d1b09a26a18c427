/** Compile one fixture the way `seer check` does and render text and JSON. */
import { existsSync, readFileSync } from "node:fs";
import { compile, type Compilation } from "../../compiler/compile.js";
import { renderJson } from "../../core/diagnostics/render-json.js";
import { renderText, summaryLine } from "../../core/diagnostics/render-text.js";

export function setArgs(seerFile: string): string[] {
  const args = seerFile.replace(/\.seer$/, ".args");
  if (!existsSync(args)) return [];
  return readFileSync(args, "utf8").split("\n").map((l) => l.trim()).filter((l) => l.startsWith("--set ")).map((l) => l.slice(6));
}

export function diagnose(cwd: string, rel: string, overrides: string[] = []): { c: Compilation; text: string; json: string } {
  const c = compile([rel], { cwd, overrides: overrides.map((text) => ({ text })) });
  const errors = c.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = c.diagnostics.filter((d) => d.severity === "warning").length;
  const body = c.diagnostics.length > 0 ? `${renderText(c.diagnostics, { color: false, files: c.program.files })}\n` : "";
  const text = `${body}${summaryLine(errors, warnings, 1)}\n`;
  const json = `${JSON.stringify(renderJson(c.diagnostics, c.program.files, 1), null, 2)}\n`;
  return { c, text, json };
}
