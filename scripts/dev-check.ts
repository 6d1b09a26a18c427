import { compile } from "../compiler/compile.js";
const files = process.argv.slice(2);
for (const f of files) {
  const t0 = performance.now();
  const c = compile([f]);
  console.log(f, (performance.now() - t0).toFixed(1) + "ms");
  for (const d of c.diagnostics) {
    const sf = c.program.files.get(d.span.file);
    const pos = sf?.positionAt(d.span.start);
    console.log(`  ${d.severity} ${d.code} ${d.span.file}:${pos?.line}:${pos?.column} ${d.message}${d.help ? " | help: " + d.help : ""}`);
  }
}
