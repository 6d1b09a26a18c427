/** Fills in every default (recursively, into nested records and constructor records). */
import type { ConstructorDef, FieldDef, TypeDesc } from "../types/desc.js";
import { CONSTRUCTORS } from "../types/registry.js";
import { isObject, type Json, type JsonObject } from "../../core/json.js";

export function applyDefaults(data: JsonObject, def: ConstructorDef): JsonObject {
  const out = fillRecord(data, def.fields);
  if (def.name === "regnet" && out["se_ratio"] === undefined) out["se_ratio"] = out["family"] === "Y" ? 0.25 : null;
  return out;
}

function fillRecord(data: JsonObject, fields: Readonly<Record<string, FieldDef>>): JsonObject {
  const out: JsonObject = { ...data };
  for (const [name, f] of Object.entries(fields)) {
    if (out[name] === undefined && f.default !== undefined) out[name] = structuredClone(f.default) as Json;
    const v = out[name];
    if (v !== undefined) out[name] = fillValue(v, f.type);
  }
  return out;
}

function fillValue(v: Json, t: TypeDesc): Json {
  if (t.t === "record" && isObject(v)) return fillRecord(v, t.fields);
  if (t.t === "ctor" && isObject(v) && typeof v["$ctor"] === "string") {
    const def = CONSTRUCTORS.get(v["$ctor"]);
    return def ? applyDefaults(v, def) : v;
  }
  if (t.t === "list" && Array.isArray(v)) return v.map((item) => fillValue(item, t.of));
  return v;
}
