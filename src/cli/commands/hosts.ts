/**
 * `seer hosts check FILE`: validate a hosts inventory (diagnostics like `seer check`: exit 0
 * clean, 1 errors, 2 a missing file). `seer hosts test FILE`: connect to every host and report
 * what is there (see hosts-test.ts).
 */
import { readFileSync } from "node:fs";
import { hasErrors } from "../../../core/diagnostics/diagnostic.js";
import type { Inventory } from "../../../runtime/hosts/inventory.js";
import { parseInventory } from "../../../runtime/hosts/inventory.js";
import { EXIT, UsageError } from "../errors.js";
import { emitDiagnostics, type ColorMode, type OutputOptions } from "../output.js";

function readInventoryText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`No such file: ${file}`);
  }
}

export function runHostsCheck(file: string, o: OutputOptions): number {
  const r = parseInventory(file, readInventoryText(file));
  emitDiagnostics(r.diagnostics, new Map([[file, r.source]]), 1, o);
  return hasErrors(r.diagnostics) ? EXIT.recipeErrors : EXIT.ok;
}

/** The inventory, or the exit code after printing its diagnostics (warnings are printed and pass). */
export function loadInventory(file: string, color: ColorMode): Inventory | number {
  const r = parseInventory(file, readInventoryText(file));
  if (r.diagnostics.length > 0) emitDiagnostics(r.diagnostics, new Map([[file, r.source]]), 1, { format: "text", color });
  return r.inventory ?? EXIT.recipeErrors;
}
