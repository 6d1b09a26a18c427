/**
 * The fully resolved recipe (every default filled in, derivations flattened, references
 * written as `{ "$ref": "name.member" }`), like Ludwig's render_config. Deterministic.
 */
import type { Compilation } from "./compile.js";
import { declName } from "./check/names.js";
import type { Json, JsonObject } from "../core/json.js";
import type { Module } from "./modules/load.js";
import type * as A from "../grammar/ast.js";

export interface RenderedRecipe {
  version: 1;
  file: string;
  doc?: string;
  imports: Record<string, string>;
  params: Record<string, Json>;
  declarations: Record<string, JsonObject>;
}

export function renderRecipe(c: Compilation, root: Module): RenderedRecipe {
  const out: RenderedRecipe = { version: 1, file: root.display, imports: {}, params: {}, declarations: {} };
  if (root.ast.doc) out.doc = root.ast.doc;
  for (const [alias, b] of root.imports) out.imports[alias] = b.decl.path.value;
  for (const [info, value] of c.check.params) if (info.module === root) out.params[info.name] = literal(value);
  for (const [info, d] of c.check.decls) {
    if (info.module !== root) continue;
    const entry: JsonObject = { kind: d.kind, constructor: d.ctor.name };
    if (info.ast.doc) entry["doc"] = info.ast.doc;
    if (d.bases.length > 0) entry["derived_from"] = d.bases.map((b) => declName(b, root));
    const { $ctor: _omit, ...fields } = d.value;
    entry["fields"] = fields;
    out.declarations[info.name] = entry;
  }
  return out;
}

function literal(v: A.Value): Json {
  switch (v.kind) {
    case "number": return v.value;
    case "quantity": return { value: v.value, unit: v.unit };
    case "string": return v.value;
    case "bool": return v.value;
    case "none": return null;
    case "list": return v.items.map(literal);
    default: return null;
  }
}
