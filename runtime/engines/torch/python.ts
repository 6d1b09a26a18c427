// TEMPORARY (replaced by the engine-select branch's python.ts at merge)
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function torchPackageDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "engines", "torch", "seer_torch", "__init__.py"))) return path.join(dir, "engines", "torch");
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cannot find engines/torch");
    dir = up;
  }
}
