/**
 * Layers you can police by imports: core/ imports no other layer; contract/ only core/;
 * grammar/ only core/; compiler/ no runtime/ or CLI; runtime/ only core/ and contract/
 * (never the compiler, the grammar or the CLI).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../helpers/paths.js";

const LAYERS: Record<string, readonly string[]> = {
  core: ["core"],
  contract: ["core", "contract"],
  grammar: ["core", "grammar"],
  compiler: ["core", "contract", "grammar", "compiler"],
  runtime: ["core", "contract", "runtime"],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : f.endsWith(".ts") ? [p] : [];
  });
}

/** Relative import specifiers of a file (static, dynamic and type-only). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from\s+|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
}

for (const [layer, allowed] of Object.entries(LAYERS)) {
  test(`${layer}/ imports only ${allowed.join(", ")}`, () => {
    const bad: string[] = [];
    for (const f of files(path.join(ROOT, layer))) {
      for (const spec of imports(f)) {
        const target = path.relative(ROOT, path.resolve(path.dirname(f), spec)).split(path.sep)[0]!;
        if (!allowed.includes(target)) bad.push(`${path.relative(ROOT, f)} -> ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });
}
