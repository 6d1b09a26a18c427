/** After a run: what each stage published, remembered in `.seer/index.json` (for `seer why` and the plan's reasons). */
import type { StageResult } from "../exec/scheduler.js";
import { runsOnEngine } from "../engines/engine.js";
import type { Prepared } from "./prepare.js";

export function rememberPublished(p: Prepared, results: ReadonlyMap<string, StageResult>, seer: string): void {
  const index = p.store.readIndex();
  for (const r of results.values()) {
    if (r.status !== "ran" && r.status !== "cached") continue;
    index[r.stage.name] = { key: r.key, id: r.stage.id, spec: r.stage.spec, inputs: Object.fromEntries(r.stage.inputs.map((i) => [i, p.keys.get(i)!])), seer, backend: p.backend.info.name, engine: runsOnEngine(r.stage, p.engine.choice.name), ...(p.fingerprints.has(r.stage.name) ? { fingerprint: p.fingerprints.get(r.stage.name)! } : {}) };
  }
  p.store.writeIndex(index);
}
