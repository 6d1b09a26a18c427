/** Which stages a run runs: those `--only` names (exact names, prefixes such as `eval/quickstart`, or declarations) and everything they need. */
import type { ExecGraph, Stage } from "../../contract/graph.js";

/** A name that matches no stage of the graph. */
export class SelectionError extends Error {
  constructor(
    readonly pattern: string,
    /** The graph's stage names, for a hint. */
    readonly stages: readonly string[],
  ) {
    super(`no stage matches \`${pattern}\``);
    this.name = "SelectionError";
  }
}

/** The selected stages and their dependencies; undefined when `only` is empty (every stage). */
export function selectStages(graph: ExecGraph, only: readonly string[]): Set<string> | undefined {
  if (only.length === 0) return undefined;
  const byName = new Map(graph.stages.map((s) => [s.name, s]));
  const out = new Set<string>();
  const add = (s: Stage) => {
    if (out.has(s.name)) return;
    out.add(s.name);
    s.inputs.forEach((i) => add(byName.get(i)!));
  };
  for (const o of only) {
    const hits = graph.stages.filter((s) => s.name === o || s.name.startsWith(`${o}/`) || s.source.declaration === o);
    if (hits.length === 0) throw new SelectionError(o, graph.stages.map((s) => s.name));
    hits.forEach(add);
  }
  return out;
}
