/**
 * The plan: for every stage, `run` or `cached`, and why. A stage is cached when the store
 * holds an intact output under its key; otherwise the reasons compare it with what the
 * stage of the same name last published (`.seer/index.json`): new, config changed (which
 * fields), input changed (which), data changed, code version changed, backend changed,
 * engine changed, output missing or corrupt.
 */
import type { ExecGraph, Stage } from "../../contract/graph.js";
import { diffJson } from "../records/json-diff.js";
import { shortId } from "../report/text.js";
import { runsOnEngine, type EngineName } from "../engines/engine.js";
import { topoOrder, usesBackend } from "./keys.js";
import type { IndexEntry, Published, Store } from "./store.js";

export interface Decision {
  stage: Stage;
  key: string;
  action: "run" | "cached";
  reasons: string[];
  published?: Published;
}

export interface PlanContext {
  keys: ReadonlyMap<string, string>;
  store: Store;
  seer: string;
  backend: string;
  /** The engine the run asked for (each stage runs on `runsOnEngine` of it). */
  engine?: EngineName;
  fingerprints: ReadonlyMap<string, string>;
}

function whyChanged(s: Stage, prev: IndexEntry, ctx: PlanContext, willRun: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const fields = diffJson(prev.spec, s.spec).map((c) => c.path || "/");
  if (fields.length > 0) out.push(`config changed: ${fields.slice(0, 6).join(", ")}${fields.length > 6 ? ` and ${fields.length - 6} more` : ""}`);
  const inputs = s.inputs.filter((i) => prev.inputs[i] !== ctx.keys.get(i) || willRun.has(i));
  if (inputs.length > 0) out.push(`input changed: ${inputs.join(", ")}`);
  if (s.kind === "prepare-data" && prev.fingerprint !== undefined && prev.fingerprint !== ctx.fingerprints.get(s.name)) out.push("data changed (fingerprint)");
  if (prev.seer !== ctx.seer) out.push(`code version changed (seer ${prev.seer} -> ${ctx.seer})`);
  const engine = runsOnEngine(s, ctx.engine ?? "tfjs");
  const before = prev.engine ?? "tfjs";
  if (before !== engine) out.push(`engine changed (${before} -> ${engine})`);
  else if (engine === "tfjs" && usesBackend(s) && prev.backend !== ctx.backend) out.push(`backend changed (${prev.backend} -> ${ctx.backend})`);
  return out;
}

export function planGraph(graph: ExecGraph, ctx: PlanContext): Decision[] {
  const index = ctx.store.readIndex();
  const willRun = new Set<string>();
  return topoOrder(graph).map((stage) => {
    const key = ctx.keys.get(stage.name)!;
    const found = ctx.store.lookup(key);
    if (found.state === "ok") return { stage, key, action: "cached", reasons: [`output ${shortId(found.published.manifest.digest)} from ${found.published.manifest.created}`], published: found.published };
    willRun.add(stage.name);
    const prev = index[stage.name];
    let reasons: string[];
    if (found.state === "corrupt") reasons = [`output corrupt: ${found.why}`];
    else if (!prev) reasons = ["new stage"];
    else if (prev.key === key) reasons = ["output missing"];
    else {
      reasons = whyChanged(stage, prev, ctx, willRun);
      if (reasons.length === 0) reasons = ["output missing (no earlier output under this key)"];
    }
    return { stage, key, action: "run", reasons };
  });
}
