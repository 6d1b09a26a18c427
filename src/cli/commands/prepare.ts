/**
 * What `plan`, `why`, `run`, `reproduce` and `pretrain` share: compile the recipe (or take its
 * compilation), lower it to its graph and prepare the run (runtime/session/prepare.ts:
 * fingerprints, backend, keys, plan). A dataset that cannot be read is a SEER6001 diagnostic at
 * its declaration, printed here, before anything runs; so are warnings about the data (SEER6004:
 * symbolic links not followed). For a plan, data that cannot be read is warning SEER6005 instead.
 */
import { relocateData } from "./relocate-data.js";
import path from "node:path";
import type { Compilation } from "../../../compiler/compile.js";
import { lowerRecipe } from "../../../compiler/lower/lower.js";
import { resolveEngine } from "../../../runtime/engines/engine.js";
import type { Prepared } from "../../../runtime/session/prepare.js";
import { compileOrReport } from "../compile-recipe.js";
import { EXIT } from "../errors.js";
import type { Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import { renderText } from "../../../core/diagnostics/render-text.js";
import { emitDiagnostics, useColor, type ColorMode } from "../output.js";
import { SEER_VERSION } from "../version.js";
import { absentDataDiagnostic, dataDiagnostic, declOfSource, linksDiagnostic } from "./job.js";

export interface PreparedRecipe {
  c: Compilation;
  p: Prepared;
  /** Warnings about the data, printed already (a run's `--json` lists them too). */
  warnings: Diagnostic[];
}

export interface PrepareOptions {
  set: string[];
  backend?: string;
  /** `--engine` (else SEER_ENGINE, else tfjs). */
  engine?: string;
  color: ColorMode;
  projectDir?: string;
  /** Whether torch stages may run on this machine (false: only remote hosts run them). */
  torchHere?: boolean;
  /** Where relative dataset paths start (default: the recipe's folder); `seer reproduce` gives the recorded project's. */
  dataDir?: string;
  /** Datasets read from elsewhere: name -> folder or manifest file (`seer reproduce --data`). */
  dataPaths?: ReadonlyMap<string, string>;
  /** A plan: data that cannot be read is a warning (SEER6005) and sizes are the declared ones; `assumeAccelerators` when planning for named GPUs (`--hardware`). */
  plan?: { assumeAccelerators: boolean };
}

/** The compiled and prepared recipe, or an exit code after printing diagnostics. */
export async function prepare(file: string, o: PrepareOptions, compiled?: Compilation): Promise<PreparedRecipe | number> {
  resolveEngine(o.engine); // an unknown engine is a usage error before anything compiles
  const c = compiled ?? compileOrReport([file], o.set, o.color);
  if (typeof c === "number") return c;
  const root = c.program.roots[0]!;
  const dataDir = o.dataDir ?? path.dirname(root.id);
  const lowered = lowerRecipe(c, root, SEER_VERSION);
  const graph = o.dataPaths && o.dataPaths.size > 0 ? relocateData(lowered, o.dataPaths, dataDir) : lowered;
  const { prepareRun } = await import("../../../runtime/session/prepare.js");
  const r = await prepareRun(graph, { baseDir: dataDir, seer: SEER_VERSION, ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}), ...(o.projectDir ? { projectDir: o.projectDir } : {}), ...(o.torchHere === false ? { torchHere: false } : {}), ...(o.plan ? { allowAbsentData: true, assumeAccelerators: o.plan.assumeAccelerators } : {}) });
  if ("prepared" in r) {
    const absent = r.prepared.absent.flatMap((x) => {
      const decl = declOfSource(c, x.source, "dataset");
      const stage = r.prepared.graph.stages.find((s) => s.name === x.stage);
      const declared = stage?.kind === "prepare-data" && (stage.spec.kind === "image_folder" || stage.spec.kind === "manifest") ? stage.spec.images : null;
      return decl ? [absentDataDiagnostic(decl, x.error, declared)] : [];
    });
    const warnings = [
      ...absent,
      ...r.prepared.links.flatMap((x) => {
        const decl = declOfSource(c, x.source, "dataset");
        return decl ? [linksDiagnostic(decl, x)] : [];
      }),
    ];
    if (warnings.length > 0) process.stderr.write(renderText(warnings, { color: useColor(o.color, process.stderr), files: c.program.files }));
    return { c, p: r.prepared, warnings };
  }
  const diags = r.problems.map((x) => {
    const decl = declOfSource(c, x.source, "dataset");
    const d = decl ? dataDiagnostic(decl, x.error) : undefined;
    if (!d) throw x.error;
    return d;
  });
  emitDiagnostics(diags, c.program.files, 1, { format: "text", color: o.color });
  return EXIT.runtime;
}
