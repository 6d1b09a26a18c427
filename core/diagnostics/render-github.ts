/** GitHub Actions workflow-command annotations (`::error file=...,line=...::message`). */
import type { SourceFile } from "../source/source-file.js";
import type { Diagnostic } from "./diagnostic.js";
import { toRange } from "./render-json.js";

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function renderGithub(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>): string {
  return diags
    .map((d) => {
      const r = toRange(d.span, files);
      const kind = d.severity === "info" ? "notice" : d.severity;
      const props = [`file=${escapeProperty(d.span.file)}`, `line=${r.start.line}`, `col=${r.start.column}`, `endLine=${r.end.line}`, `endColumn=${r.end.column}`, `title=${escapeProperty(d.code)}`];
      const msg = d.help ? `${d.message}\nhelp: ${d.help}` : d.message;
      return `::${kind} ${props.join(",")}::${escapeData(msg)}\n`;
    })
    .join("");
}
