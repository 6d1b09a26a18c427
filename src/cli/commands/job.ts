/** Helpers of the commands that run a recipe: a declaration by name or by a stage's source, the bundled loader worker, data problems as diagnostics. */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Compilation } from "../../../compiler/compile.js";
import type { CheckedDecl } from "../../../compiler/check/checker.js";
import { packageRoot } from "../../../compiler/modules/std.js";
import { didYouMean } from "../../../core/diagnostics/suggest.js";
import { diag, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import { describeLinks } from "../../../runtime/data/links.js";
import type { DataLinks } from "../../../runtime/session/prepare.js";
import { UsageError } from "../errors.js";
import { humanBytes } from "../../../compiler/regnet/explain.js";
import type { Overflow } from "./estimate.js";

/** A root declaration by name and kind, with a suggestion when it is not there. */
export function findDecl(c: Compilation, name: string, kind: string): CheckedDecl {
  const root = c.program.roots[0]!;
  const decls = [...c.check.decls.values()].filter((d) => d.info.module === root);
  const d = decls.find((x) => x.info.name === name && x.kind === kind);
  if (d) return d;
  const names = decls.filter((x) => x.kind === kind).map((x) => x.info.name);
  throw new UsageError(`\`${root.display}\` declares no ${kind} named \`${name}\`.`, didYouMean(name, names) ?? (names.length > 0 ? `it declares ${names.join(", ")}` : undefined));
}

/** The declaration a stage comes from (`stage.source`), optionally of one kind. */
export function declOfSource(c: Compilation, source: { file: string; declaration: string }, kind?: string): CheckedDecl | undefined {
  return [...c.check.decls.values()].find((d) => (kind === undefined || d.kind === kind) && d.info.name === source.declaration && d.info.module.display === source.file);
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

/** A dataset a plan could not read: a warning at its `root`/`file`, saying what size the plan uses instead. */
export function absentDataDiagnostic(ds: CheckedDecl, e: Error, declared: number | null): Diagnostic {
  const span = ds.spans.values.get("/root") ?? ds.spans.values.get("/file") ?? ds.info.ast.name.span;
  const size = declared === null ? "no size for it" : `its declared size (${declared.toLocaleString("en-US")} images)`;
  const help = declared === null && (ds.ctor.name === "image_folder" || ds.ctor.name === "manifest") ? "declare the size it will have, `images = 1M`, for the estimates that need it" : undefined;
  return diag("DataAbsentInPlan", span, { name: ds.info.name, size, detail: e.message.replace(/\.?$/, ".") }, { path: [ds.info.name], ...(help ? { help } : {}) });
}

/** A pretraining that does not fit in its devices' memory: an error at its declaration (at `gpus` when written), with the estimate's parts and what would make it fit. */
export function overflowDiagnostic(c: Compilation, o: Overflow): Diagnostic | undefined {
  const decl = declOfSource(c, o.stage.source, "pretrain");
  if (!decl) return undefined;
  const e = o.estimate;
  const m = e.memory;
  const span = decl.spans.values.get("/gpus") ?? decl.info.ast.name.span;
  const notes = [
    `layout: ${e.gpus} GPU(s), ${e.perDeviceBatch} images per device (global batch ${o.stage.spec.batch}), precision ${e.precision}, sharding ${e.sharding}, activation checkpointing ${e.activationCheckpointing ? "on" : "off"}`,
    `per device: weights ${humanBytes(m.weights)}, gradients ${humanBytes(m.gradients)}, optimizer state ${humanBytes(m.optimizer)}, ${e.sharding === "full" ? "gathered layers" : "half-precision weight copies"} ${humanBytes(m.working)}, activations ${humanBytes(m.activations)}, reserve ${humanBytes(m.reserve)}`,
  ];
  const help = o.fixes.length > 0 ? `it would fit with any one of: ${o.fixes.join("; ")}` : "nothing within reach makes it fit: see docs/cost-model.md for what the estimate counts";
  return diag("StageExceedsDeviceMemory", span, { stage: o.stage.name, need: humanBytes(e.memoryBytes), hardware: `\`${e.hardware}\``, have: humanBytes(e.deviceMemoryBytes) }, { path: [decl.info.name], notes, help });
}

/** A dataset's symbolic links that were not followed: a warning at its `root` in the recipe, one note per link. */
export function linksDiagnostic(ds: CheckedDecl, x: DataLinks): Diagnostic {
  const span = ds.spans.values.get("/root") ?? ds.info.ast.name.span;
  return diag("LinksNotFollowed", span, { name: ds.info.name, count: x.links.length }, { path: [ds.info.name], notes: describeLinks(x.links, x.root) });
}
