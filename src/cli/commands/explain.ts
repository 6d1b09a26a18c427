/**
 * `seer explain CODE`                 the long explanation of a diagnostic code
 * `seer explain --preset NAME`        what a RegNet preset expands to
 * `seer explain RECIPE.seer MODEL`    what a recipe's model (or pretraining's model) expands to
 */
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { CATALOG, entryByCode } from "../../../core/diagnostics/catalog.js";
import { hasErrors } from "../../../core/diagnostics/diagnostic.js";
import { didYouMean } from "../../../core/diagnostics/suggest.js";
import { stdDir } from "../../../compiler/modules/std.js";
import { explainModel, formatExplained } from "../../../compiler/regnet/explain.js";
import { lookupPresetName, REGNET_PRESET_NAMES } from "../../../compiler/regnet/names.js";
import { regnetParams } from "../../../compiler/check/rules/regnet.js";
import type { CheckedDecl } from "../../../compiler/check/checker.js";
import { magnitude } from "../../../core/json.js";
import { EXIT, UsageError } from "../errors.js";
import type { ColorMode } from "../output.js";
import { compileOrReport } from "../compile-recipe.js";

export interface ExplainOptions {
  preset?: string;
  input?: string;
  batch?: string;
  format: string;
  color: ColorMode;
}

export function runExplain(target: string | undefined, model: string | undefined, opts: ExplainOptions): number {
  if (opts.preset !== undefined) return explainPreset(opts.preset, opts);
  if (target === undefined) throw new UsageError("`seer explain` needs a diagnostic code, `--preset NAME`, or a recipe and a model.", "seer explain SEER3001 | seer explain --preset RegNetY-4.0GF | seer explain recipe.seer trunk");
  if (/^seer\d+$/i.test(target)) return explainCode(target);
  if (!target.endsWith(".seer")) throw new UsageError(`\`${target}\` is neither a diagnostic code nor a .seer recipe.`);
  if (model === undefined) throw new UsageError("Name the model to explain: `seer explain RECIPE.seer MODEL`.");
  return explainRecipeModel(target, model, opts);
}

function explainCode(code: string): number {
  const found = entryByCode(code);
  if (!found) {
    const help = didYouMean(code.toUpperCase(), Object.values(CATALOG).map((e) => e.code));
    throw new UsageError(`Unknown diagnostic code \`${code}\`.`, help ?? "codes look like SEER3001; see docs/diagnostics.md");
  }
  const [name, e] = found;
  process.stdout.write(`${e.code} (${e.severity}): ${e.title}\n\n${e.explain}\n\nMessage: ${e.message}\nName: ${name}\n`);
  return EXIT.ok;
}

function parseInput(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const m = /^(\d+)\s*(px)?$/.exec(v.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`\`--input ${v}\` is not an image size; write it like \`224px\`.`);
  return Number(m[1]);
}

function parseBatch(v: string | undefined): number {
  if (v === undefined) return 64;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`\`--batch ${v}\` is not a positive whole number.`);
  return n;
}

function print(d: CheckedDecl, name: string, opts: ExplainOptions, input?: number): number {
  const v = d.value;
  const declared = magnitude(v["input"]);
  const defaultInput = typeof declared === "number" ? declared : 224;
  const explained = explainModel(name, regnetParams(v), {
    input: input ?? parseInput(opts.input, defaultInput),
    classes: typeof v["classes"] === "number" ? v["classes"] : 1000,
    batch: parseBatch(opts.batch),
  });
  if (opts.format === "json") process.stdout.write(`${JSON.stringify(explained, null, 2)}\n`);
  else if (opts.format === "text") process.stdout.write(formatExplained(explained));
  else throw new UsageError(`Unknown --format \`${opts.format}\`; expected text or json.`);
  return EXIT.ok;
}

function explainPreset(name: string, opts: ExplainOptions): number {
  const found = lookupPresetName(name);
  if (!found) {
    const help = didYouMean(name, [...REGNET_PRESET_NAMES]);
    throw new UsageError(`Unknown preset \`${name}\`.`, help ?? `presets: ${REGNET_PRESET_NAMES.join(", ")}`);
  }
  const file = path.join(stdDir(), "regnet.seer");
  const c = compile([file]);
  const decl = [...c.check.decls.values()].find((d) => d.info.name === found.identifier && d.info.module.id === file);
  if (!decl || hasErrors(c.diagnostics)) throw new Error(`the preset ${found.identifier} does not check`);
  return print(decl, found.published, opts, parseInput(opts.input, 224));
}

function explainRecipeModel(file: string, model: string, opts: ExplainOptions): number {
  const c = compileOrReport([file], [], opts.color);
  if (typeof c === "number") return c;
  const root = c.program.roots[0]!;
  const decls = [...c.check.decls.values()].filter((d) => d.info.module === root);
  let d = decls.find((x) => x.info.name === model);
  if (!d) {
    const names = decls.filter((x) => x.kind === "model" || x.kind === "pretrain").map((x) => x.info.name);
    throw new UsageError(`\`${file}\` declares no model or pretraining named \`${model}\`.`, didYouMean(model, names) ?? (names.length > 0 ? `it declares ${names.join(", ")}` : undefined));
  }
  if (d.kind === "pretrain") {
    const r = d.refs.get("/model");
    const target = r?.k === "decl" ? c.check.decls.get(r.decl) : undefined;
    if (!target) throw new UsageError(`\`${model}\` has no model to explain.`);
    d = target;
  }
  if (d.ctor.name !== "regnet") throw new UsageError(`\`${model}\` is ${d.kind === "model" ? "not a RegNet" : `a ${d.kind}, not a model`}.`);
  return print(d, d.info.name, opts);
}
