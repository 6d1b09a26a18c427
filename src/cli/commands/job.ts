/** From a checked recipe to the runtime's job descriptions (plain data, no compiler types). */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Compilation } from "../../../compiler/compile.js";
import type { CheckedDecl } from "../../../compiler/check/checker.js";
import { packageRoot } from "../../../compiler/modules/std.js";
import { didYouMean } from "../../../compiler/diagnostics/suggest.js";
import { diag, type Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { DatasetRef } from "../../../runtime/train/pretrain.js";
import { UsageError } from "../errors.js";

/** A root declaration by name and kind, with a suggestion when it is not there. */
export function findDecl(c: Compilation, name: string, kind: string): CheckedDecl {
  const root = c.program.roots[0]!;
  const decls = [...c.check.decls.values()].filter((d) => d.info.module === root);
  const d = decls.find((x) => x.info.name === name && x.kind === kind);
  if (d) return d;
  const names = decls.filter((x) => x.kind === kind).map((x) => x.info.name);
  throw new UsageError(`\`${root.display}\` declares no ${kind} named \`${name}\`.`, didYouMean(name, names) ?? (names.length > 0 ? `it declares ${names.join(", ")}` : undefined));
}

/** The checked target of a reference field. */
export function refTarget(c: Compilation, d: CheckedDecl, ptr: string): CheckedDecl {
  const r = d.refs.get(ptr);
  const target = r && r.k !== "param" ? c.check.decls.get(r.decl) : undefined;
  if (!target) throw new Error(`\`${d.info.name}\` has no resolved ${ptr.slice(1)}`);
  return target;
}

export function datasetRef(c: Compilation, d: CheckedDecl, ptr: string): DatasetRef {
  const r = d.refs.get(ptr);
  const ds = refTarget(c, d, ptr);
  const out: DatasetRef = { ctor: ds.ctor.name, fields: ds.value, baseDir: path.dirname(ds.info.module.id) };
  if (r?.k === "split") out.split = r.split;
  return out;
}

/** The bundled data-loader worker, when running from the CLI bundle. */
export function bundledWorkerUrl(): URL | undefined {
  const file = path.join(packageRoot(), "dist", "data-worker.js");
  return existsSync(file) ? pathToFileURL(file) : undefined;
}

/**
 * A data problem found when a stage opens its dataset (missing root, empty folder, bad
 * manifest): a diagnostic at the dataset's `root`/`file` in the recipe. Undefined for other errors.
 */
export function dataDiagnostic(ds: CheckedDecl, e: unknown): Diagnostic | undefined {
  if (!(e instanceof Error) || e.name !== "DataError") return undefined;
  const span = ds.spans.values.get("/root") ?? ds.spans.values.get("/file") ?? ds.info.ast.name.span;
  return diag("DataUnavailable", span, { name: ds.info.name, detail: e.message.replace(/\.?$/, ".") }, { path: [ds.info.name] });
}
