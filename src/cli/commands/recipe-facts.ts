/** What a run record says of the recipe, read from its compilation (the runtime never sees the compiler's types). */
import type { Compilation } from "../../../compiler/compile.js";
import type { RecipeFacts } from "../../../runtime/session/record.js";

export function recipeFacts(c: Compilation, file: string, set: readonly string[]): RecipeFacts {
  const decls = [...c.check.decls.values()];
  const seeds: Record<string, number> = {};
  for (const d of decls) if (typeof d.value["seed"] === "number") seeds[d.info.name] = d.value["seed"];
  return {
    file,
    set,
    modules: [...c.program.modules.values()].filter((m) => !m.std).map((m) => ({ id: m.id, text: m.source.text })),
    resolved: Object.fromEntries(decls.filter((d) => !d.info.module.std).map((d) => [d.info.name, d.value])),
    seeds,
  };
}
