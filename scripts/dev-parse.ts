import { readFileSync } from "node:fs";
import { parseSource } from "../grammar/parse.js";
import { SourceFile } from "../compiler/source/source-file.js";
for (const p of process.argv.slice(2)) {
  const text = readFileSync(p, "utf8");
  const t0 = performance.now();
  const r = parseSource(p, text);
  const sf = new SourceFile(p, text);
  console.log(p, (performance.now() - t0).toFixed(1) + "ms", "items", r.ast.items.length, "doc", JSON.stringify(r.ast.doc?.slice(0, 40)));
  for (const d of r.diagnostics) { const pos = sf.positionAt(d.span.start); console.log(`  ${d.code} ${pos.line}:${pos.column} ${d.message}`); }
}
