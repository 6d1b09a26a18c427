/**
 * A stage's cache key: its graph id (kind, resolved config, input ids, seer version) joined,
 * at plan time, with what the compiler cannot know: the fingerprint of the data a
 * `prepare-data` stage reads and the backend class of stages that compute with tensors
 * (numbers from wasm and from tfjs-node differ in the last bits). A stage that runs on the torch
 * engine hashes `engine torch` instead of the backend; stages on tfjs hash no engine, so their
 * keys are what they were before engines could be chosen. Keys chain through inputs.
 */
import { createHash } from "node:crypto";
import type { ExecGraph, Stage } from "../../contract/graph.js";
import { isComputeKind } from "../../contract/kinds.js";
import { runsOnEngine, type EngineName } from "../engines/engine.js";

export const usesBackend = (s: Stage): boolean => isComputeKind(s.kind);

/** Stages with every input before it. */
export function topoOrder(graph: ExecGraph): Stage[] {
  const byName = new Map(graph.stages.map((s) => [s.name, s]));
  const out: Stage[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (s: Stage): void => {
    if (state.get(s.name) === 2) return;
    if (state.get(s.name) === 1) throw new Error(`the graph has a cycle through ${s.name}`);
    state.set(s.name, 1);
    for (const i of s.inputs) {
      const d = byName.get(i);
      if (!d) throw new Error(`stage ${s.name} reads ${i}, which is not in the graph`);
      visit(d);
    }
    state.set(s.name, 2);
    out.push(s);
  };
  for (const s of graph.stages) visit(s);
  return out;
}

/**
 * `procs`: ranks of torch stages' process groups (per host times hosts). More than one joins the key: a process group sums
 * floats in another order than one process does, so its numbers differ in the last bits.
 */
export function stageKeys(graph: ExecGraph, fingerprints: ReadonlyMap<string, string>, backend: string, engine: EngineName = "tfjs", procs?: number): Map<string, string> {
  const keys = new Map<string, string>();
  for (const s of topoOrder(graph)) {
    const h = createHash("sha256").update(s.id);
    for (const i of s.inputs) h.update(`\n${keys.get(i)}`);
    if (s.kind === "prepare-data") h.update(`\ndata ${fingerprints.get(s.name) ?? "?"}`);
    if (runsOnEngine(s, engine) === "torch") h.update(`\nengine torch${procs !== undefined && procs > 1 ? ` x${procs}` : ""}`);
    else if (usesBackend(s)) h.update(`\nbackend ${backend}`);
    keys.set(s.name, h.digest("hex"));
  }
  return keys;
}
