/**
 * What `plan`, `why`, `run` and `reproduce` share: compile the recipe, lower it, fingerprint
 * its datasets (a missing or empty dataset is reported here, before anything runs), choose the
 * backend, key every stage and decide run or cached.
 */
import path from "node:path";
import type { Compilation } from "../../../compiler/compile.js";
import type { Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import type { ExecGraph } from "../../../contract/graph.js";
import { lowerRecipe } from "../../../compiler/lower/lower.js";
import type { BackendInfo } from "../../../runtime/backend/select.js";
import type { Tf } from "../../../runtime/tfjs/tf.js";
import { compileOrReport } from "../compile-recipe.js";
import { EXIT } from "../errors.js";
import { emitDiagnostics, type ColorMode } from "../output.js";
import { SEER_VERSION } from "../version.js";
import { dataDiagnostic } from "./job.js";

export interface Prepared {
  c: Compilation;
  graph: ExecGraph;
  baseDir: string;
  fingerprints: Map<string, string>;
  backend: { tf: Tf; info: BackendInfo };
  keys: Map<string, string>;
  plan: import("../../../runtime/exec/plan.js").Decision[];
  store: import("../../../runtime/exec/store.js").Store;
  /** Images per dataset reference (`shapes`, `shapes.train`), for estimates. */
  sizes: Map<string, number>;
  /** Stages that need more accelerators than this host has. */
  infeasible: string[];
}

export interface PrepareOptions {
  set: string[];
  backend?: string;
  color: ColorMode;
  projectDir?: string;
}

/** The prepared project, or an exit code after printing diagnostics. */
export async function prepare(file: string, o: PrepareOptions): Promise<Prepared | number> {
  const c = compileOrReport([file], o.set, o.color);
  if (typeof c === "number") return c;
  const fail = (diags: readonly Diagnostic[], code: number) => {
    emitDiagnostics(diags, c.program.files, 1, { format: "text", color: o.color });
    return code;
  };
  const root = c.program.roots[0]!;
  const graph = lowerRecipe(c, root, SEER_VERSION);
  const baseDir = path.dirname(root.id);
  const { selectBackend } = await import("../../../runtime/backend/select.js");
  const { openDataset } = await import("../../../runtime/data/open.js");
  const { dataStageRef } = await import("../../../runtime/exec/executors/data-ref.js");
  const { stageKeys } = await import("../../../runtime/exec/keys.js");
  const { planGraph } = await import("../../../runtime/exec/plan.js");
  const { Store } = await import("../../../runtime/exec/store.js");
  const { sourceLength } = await import("../../../runtime/data/source.js");
  const fingerprints = new Map<string, string>();
  const sizes = new Map<string, number>();
  const diags: Diagnostic[] = [];
  for (const s of graph.stages.filter((x) => x.kind === "prepare-data")) {
    const ref = dataStageRef(baseDir, s);
    try {
      const ds = await openDataset(ref.spec, { baseDir: ref.baseDir, verify: false, fingerprint: { cacheFile: path.join(o.projectDir ?? ".", ".seer", "cache", "fingerprints.json") } });
      fingerprints.set(s.name, ds.fingerprint.value);
      const name = s.name.replace(/^data\//, "");
      if (ds.kind !== "copy_detection_set") {
        sizes.set(name, sourceLength(ds.source));
        for (const [split, idx] of Object.entries(ds.splits ?? {})) sizes.set(`${name}.${split}`, idx.length);
      }
    } catch (e) {
      const decl = [...c.check.decls.values()].find((d) => d.kind === "dataset" && d.info.name === s.source.declaration && d.info.module.display === s.source.file);
      const d = decl ? dataDiagnostic(decl, e) : undefined;
      if (!d) throw e;
      diags.push(d);
    }
  }
  if (diags.length > 0) return fail(diags, EXIT.runtime);
  const backend = await selectBackend(o.backend ? { backend: o.backend } : {});
  const keys = stageKeys(graph, fingerprints, backend.info.name);
  const store = new Store(o.projectDir ?? ".");
  const plan = planGraph(graph, { keys, store, seer: SEER_VERSION, backend: backend.info.name, fingerprints });
  const gpus = backend.info.name === "tensorflow-gpu" ? 1 : 0;
  const accelerators = Math.max(1, gpus);
  const infeasible = graph.stages.filter((s) => s.resources.gpus > accelerators).map((s) => `${s.name} needs ${s.resources.gpus} accelerators; this host has ${accelerators}${gpus === 0 ? " (its CPU pool counts as one)" : ""}`);
  return { c, graph, baseDir, fingerprints, sizes, backend, keys, plan, store, infeasible };
}
