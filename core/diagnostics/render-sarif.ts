/** SARIF 2.1.0 output (GitHub code scanning, VS Code SARIF viewer). */
import type { SourceFile } from "../source/source-file.js";
import { CATALOG, type DiagName } from "./catalog.js";
import type { Diagnostic } from "./diagnostic.js";
import { toRange } from "./render-json.js";

export function renderSarif(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>, version: string): unknown {
  const used = [...new Set(diags.map((d) => d.name))].sort((a, b) => CATALOG[a].code.localeCompare(CATALOG[b].code));
  const ruleIndex = new Map<DiagName, number>(used.map((n, i) => [n, i]));
  const level = (s: Diagnostic["severity"]) => (s === "info" ? "note" : s);
  const region = (span: Diagnostic["span"]) => {
    const r = toRange(span, files);
    return { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column, charOffset: span.start, charLength: Math.max(0, span.end - span.start) };
  };
  const location = (span: Diagnostic["span"]) => ({ physicalLocation: { artifactLocation: { uri: encodeURI(span.file) }, region: region(span) } });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "seer",
            version,
            informationUri: "https://example.invalid/seer",
            rules: used.map((n) => ({
              id: CATALOG[n].code,
              name: n,
              shortDescription: { text: CATALOG[n].title },
              fullDescription: { text: CATALOG[n].explain },
              defaultConfiguration: { level: level(CATALOG[n].severity) },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results: diags.map((d) => {
          const text = [d.message, ...(d.help ? [`help: ${d.help}`] : [])].join(" ");
          const result: Record<string, unknown> = {
            ruleId: d.code,
            ruleIndex: ruleIndex.get(d.name),
            level: level(d.severity),
            message: { text },
            locations: [location(d.span)],
          };
          if (d.labels) result["relatedLocations"] = d.labels.map((l, i) => ({ id: i, ...location(l.span), message: { text: l.message } }));
          if (d.fixes) {
            result["fixes"] = d.fixes.map((f) => ({
              description: { text: f.message },
              artifactChanges: f.edits.map((e) => ({ artifactLocation: { uri: encodeURI(e.span.file) }, replacements: [{ deletedRegion: region(e.span), insertedContent: { text: e.text } }] })),
            }));
          }
          return result;
        }),
      },
    ],
  };
}
