/**
 * Golden files: compare `actual` with the checked-in file; `UPDATE_GOLDEN=1` rewrites it.
 * Absolute paths are normalised to `<root>` so goldens are stable across machines.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { ROOT } from "./paths.js";

export function normalise(text: string): string {
  return text.split(ROOT).join("<root>");
}

export function assertGolden(file: string, actual: string): void {
  const text = normalise(actual);
  if (process.env["UPDATE_GOLDEN"] === "1" || !existsSync(file)) {
    if (process.env["CI"] && !existsSync(file)) assert.fail(`missing golden file ${file} (run UPDATE_GOLDEN=1 npm test)`);
    writeFileSync(file, text);
    return;
  }
  assert.equal(text, readFileSync(file, "utf8"), `golden ${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}
