/**
 * Generates the docs that come from code: docs/diagnostics.md (the catalog),
 * docs/reference.md (every constructor, field, type and default) and docs/grammar.html
 * (Chevrotain railroad diagrams). `npm run docs` writes them; a test keeps them current.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createSyntaxDiagramsCode } from "chevrotain";
import { CATALOG } from "../core/diagnostics/catalog.js";
import { describeConstraint, describeType } from "../compiler/check/describe.js";
import { CONSTRUCTORS } from "../compiler/types/registry.js";
import type { FieldDef, TypeDesc } from "../compiler/types/desc.js";
import { getParser } from "../grammar/parser.js";

export function diagnosticsDoc(): string {
  const out = ["# Diagnostics", "", "Generated from `core/diagnostics/catalog.ts` by `npm run docs`; do not edit.", "", "Codes are stable. Ranges: 1xxx lexing and parsing, 2xxx names and imports, 3xxx types and values, 4xxx domain rules (RegNet, SwAV, evaluations), 9xxx internal errors. `seer explain CODE` prints the same text.", ""];
  out.push("| code | severity | title |", "|---|---|---|");
  const entries = Object.entries(CATALOG).sort((a, b) => a[1].code.localeCompare(b[1].code));
  for (const [, e] of entries) out.push(`| [${e.code}](#${e.code.toLowerCase()}) | ${e.severity} | ${e.title} |`);
  out.push("");
  for (const [name, e] of entries) {
    out.push(`## ${e.code}`, "", `**${e.title}** (${e.severity}, \`${name}\`)`, "", `Message: ${e.message.replace(/\{(\w+)\}/g, "_$1_")}`, "", e.explain.split("\n").map((l) => (l.startsWith("    ") ? l : l)).join("\n"), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function defaultText(f: FieldDef): string {
  if (f.default !== undefined) return `\`${renderDefault(f.default)}\``;
  if (f.optional) return "optional";
  return "**required**";
}

function renderDefault(v: unknown): string {
  if (v === null) return "none";
  if (Array.isArray(v)) return `[${v.map(renderDefault).join(", ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o["value"] === "number" && typeof o["unit"] === "string") return o["unit"] === "%" || o["unit"] === "px" ? `${o["value"]}${o["unit"]}` : `${o["value"]} ${o["unit"]}`;
    if (typeof o["value"] === "number" && o["per"]) return `${o["value"]} per ${renderDefault(o["per"])}`;
    if (typeof o["value"] === "number") return String(o["value"]);
    if (typeof o["from"] === "number") return `${o["from"]}..${o["to"]}`;
    const ctor = typeof o["$ctor"] === "string" ? `${o["$ctor"]} ` : "";
    const fields = Object.entries(o).filter(([k]) => k !== "$ctor").map(([k, x]) => `${k} = ${renderDefault(x)}`);
    return `${ctor}{ ${fields.join("  ")} }`;
  }
  return String(v);
}

function typeText(t: TypeDesc): string {
  const base = t.t === "int" || t.t === "number" || (t.t === "quantity" && (t.min !== undefined || t.max !== undefined)) ? describeConstraint(t) : describeType(t);
  const unit = t.t === "number" || t.t === "quantity" ? (t.t === "quantity" ? ` (${t.what})` : "") : "";
  return (t.t === "number" ? `a number ${base}` : base + (t.t === "quantity" && base !== t.what ? unit : "")).replace(/\|/g, "\\|");
}

export function referenceDoc(): string {
  const out = ["# Constructor reference", "", "Generated from `compiler/types/` by `npm run docs`; do not edit. Every field, its type, default and meaning. `seer render RECIPE` shows a recipe with all of these filled in.", ""];
  const groups: [string, string[]][] = [
    ["Datasets", ["synthetic", "image_folder", "manifest", "copy_detection_set"]],
    ["Models", ["regnet"]],
    ["Pretraining", ["swav", "crop", "mlp", "lars", "sgd", "cosine", "multistep", "constant"]],
    ["Evaluations", ["linear_probe", "knn", "fairness", "robustness", "copy_detection", "pca"]],
    ["Suites and reports", ["suite", "table"]],
  ];
  for (const [title, names] of groups) {
    out.push(`## ${title}`, "");
    for (const n of names) {
      const def = CONSTRUCTORS.get(n);
      if (!def) continue;
      out.push(`### \`${n}\`${def.makes === "value" ? "" : ` (makes a ${def.makes})`}`, "", def.doc, "", "| field | type | default | meaning |", "|---|---|---|---|");
      for (const [fname, f] of Object.entries(def.fields)) {
        out.push(`| \`${fname}\` | ${typeText(f.type)}${f.nullable ? " or `none`" : ""} | ${defaultText(f)} | ${f.doc} |`);
        if (f.type.t === "record") for (const [sub, sf] of Object.entries(f.type.fields)) out.push(`| \`${fname}.${sub}\` | ${typeText(sf.type)} | ${defaultText(sf)} | ${sf.doc} |`);
      }
      out.push("");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export function grammarHtml(): string {
  return createSyntaxDiagramsCode(getParser().getSerializedGastProductions());
}

const dir = process.argv[2];
if (dir) {
  writeFileSync(path.join(dir, "diagnostics.md"), diagnosticsDoc());
  writeFileSync(path.join(dir, "reference.md"), referenceDoc());
  writeFileSync(path.join(dir, "grammar.html"), grammarHtml());
}
