/** `seer explain CODE`: the long explanation of a diagnostic code. */
import { CATALOG, entryByCode } from "../../../compiler/diagnostics/catalog.js";
import { didYouMean } from "../../../compiler/diagnostics/suggest.js";
import { EXIT, UsageError } from "../errors.js";

export function runExplainCode(code: string): number {
  const found = entryByCode(code);
  if (!found) {
    const help = didYouMean(code.toUpperCase(), Object.values(CATALOG).map((e) => e.code));
    throw new UsageError(`Unknown diagnostic code \`${code}\`.`, help ?? "codes look like SEER3001; see docs/diagnostics.md");
  }
  const [name, e] = found;
  process.stdout.write(`${e.code} (${e.severity}): ${e.title}\n\n${e.explain}\n\nMessage: ${e.message}\nName: ${name}\n`);
  return EXIT.ok;
}
