/**
 * What `plan`, `why`, `run`, `reproduce` and `pretrain` share: compile the recipe (or take its
 * compilation), lower it to its graph and prepare the run (runtime/session/prepare.ts:
 * fingerprints, backend, keys, plan). A dataset that cannot be read is a SEER6001 diagnostic at
 * its declaration, printed here, before anything runs.
 */
import path from "node:path";
import type { Compilation } from "../../../compiler/compile.js";
import { lowerRecipe } from "../../../compiler/lower/lower.js";
import type { Prepared } from "../../../runtime/session/prepare.js";
import { compileOrReport } from "../compile-recipe.js";
import { EXIT } from "../errors.js";
import { emitDiagnostics, type ColorMode } from "../output.js";
import { SEER_VERSION } from "../version.js";
import { dataDiagnostic, declOfSource } from "./job.js";

export interface PreparedRecipe {
  c: Compilation;
  p: Prepared;
}

export interface PrepareOptions {
  set: string[];
  backend?: string;
  color: ColorMode;
  projectDir?: string;
}

/** The compiled and prepared recipe, or an exit code after printing diagnostics. */
export async function prepare(file: string, o: PrepareOptions, compiled?: Compilation): Promise<PreparedRecipe | number> {
  const c = compiled ?? compileOrReport([file], o.set, o.color);
  if (typeof c === "number") return c;
  const root = c.program.roots[0]!;
  const graph = lowerRecipe(c, root, SEER_VERSION);
  const { prepareRun } = await import("../../../runtime/session/prepare.js");
  const r = await prepareRun(graph, { baseDir: path.dirname(root.id), seer: SEER_VERSION, ...(o.backend ? { backend: o.backend } : {}), ...(o.projectDir ? { projectDir: o.projectDir } : {}) });
  if ("prepared" in r) return { c, p: r.prepared };
  const diags = r.problems.map((x) => {
    const decl = declOfSource(c, x.source, "dataset");
    const d = decl ? dataDiagnostic(decl, x.error) : undefined;
    if (!d) throw x.error;
    return d;
  });
  emitDiagnostics(diags, c.program.files, 1, { format: "text", color: o.color });
  return EXIT.runtime;
}
