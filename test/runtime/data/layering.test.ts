import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../helpers/paths.js";

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith(".ts") ? [p] : [];
  });
}
const imports = (file: string) => [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);

test("the compiler and grammar never import the runtime", () => {
  for (const f of [...tsFiles(path.join(ROOT, "compiler")), ...tsFiles(path.join(ROOT, "grammar"))]) {
    for (const spec of imports(f)) assert.ok(!/(^|\/)runtime\//.test(spec), `${path.relative(ROOT, f)} imports ${spec}`);
  }
});

test("the data pipeline does not import TensorFlow.js, uses .js suffixes, and keeps files small", () => {
  for (const f of tsFiles(path.join(ROOT, "runtime", "data"))) {
    const rel = path.relative(ROOT, f);
    for (const spec of imports(f)) {
      assert.ok(!spec.startsWith("@tensorflow"), `${rel} imports ${spec}`);
      if (spec.startsWith(".")) assert.match(spec, /\.js$/, `${rel}: relative import ${spec} needs a .js suffix`);
    }
    const lines = readFileSync(f, "utf8").split("\n").length;
    assert.ok(lines <= 300, `${rel} has ${lines} lines`);
  }
});
