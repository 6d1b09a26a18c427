/**
 * JSON Schemas generated from the type descriptors (one per constructor). These are the
 * schemas ajv validates projected recipe values against; `seer schema` prints them.
 */
import type { ConstructorDef, FieldDef, TypeDesc } from "../types/desc.js";
import { CONSTRUCTORS } from "../types/registry.js";

export type Schema = Record<string, unknown>;

export function constructorSchema(def: ConstructorDef): Schema {
  return recordSchema(def.fields, def.name);
}

function recordSchema(fields: Readonly<Record<string, FieldDef>>, ctorName?: string): Schema {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, f] of Object.entries(fields)) {
    const s = typeSchema(f.type);
    properties[name] = f.nullable ? { anyOf: [{ type: "null" }, s] } : s;
    if (f.default === undefined && !f.optional) required.push(name);
  }
  if (ctorName !== undefined) properties["$ctor"] = { const: ctorName };
  const schema: Schema = { type: "object", properties, additionalProperties: false };
  if (required.length > 0) schema["required"] = required;
  return schema;
}

const numberKeywords = (t: { min?: number; exclusiveMin?: number; max?: number; exclusiveMax?: number }): Schema => {
  const s: Schema = {};
  if (t.min !== undefined) s["minimum"] = t.min;
  if (t.exclusiveMin !== undefined) s["exclusiveMinimum"] = t.exclusiveMin;
  if (t.max !== undefined) s["maximum"] = t.max;
  if (t.exclusiveMax !== undefined) s["exclusiveMaximum"] = t.exclusiveMax;
  return s;
};

export function typeSchema(t: TypeDesc): Schema {
  switch (t.t) {
    case "int": {
      const s: Schema = { type: "integer", ...numberKeywords(t) };
      if (t.multipleOf !== undefined) s["multipleOf"] = t.multipleOf;
      return s;
    }
    case "number":
      return { type: "number", ...numberKeywords(t) };
    case "bool":
      return { type: "boolean" };
    case "string":
    case "symbol":
      return { type: "string" };
    case "enum":
      return { type: "string", enum: [...t.values] };
    case "quantity":
      return {
        type: "object",
        required: ["value", "unit"],
        properties: { value: { type: t.integer ? "integer" : "number", ...numberKeywords(t) }, unit: { enum: [...t.units] } },
        additionalProperties: false,
      };
    case "rate":
      return {
        type: "object",
        required: ["value"],
        properties: {
          value: { type: "number", minimum: 0 },
          per: { type: "object", required: ["value", "unit"], properties: { value: { type: "number", exclusiveMinimum: 0 }, unit: { enum: ["images"] } } },
        },
        additionalProperties: false,
      };
    case "range":
      return { type: "object", required: ["from", "to"], properties: { from: { type: "number" }, to: { type: "number" } }, additionalProperties: false };
    case "list": {
      const s: Schema = { type: "array", items: typeSchema(t.of) };
      if (t.minItems !== undefined) s["minItems"] = t.minItems;
      return s;
    }
    case "record":
      return recordSchema(t.fields);
    case "map": {
      const s: Schema = { type: "object", additionalProperties: typeSchema(t.of) };
      if (t.minItems !== undefined) s["minProperties"] = t.minItems;
      return s;
    }
    case "ctor": {
      const branches = t.ctors.map((name) => {
        const def = CONSTRUCTORS.get(name);
        return { if: { properties: { $ctor: { const: name } }, required: ["$ctor"] }, then: def ? constructorSchema(def) : {} };
      });
      const ctorSchema: Schema = { type: "object", required: ["$ctor"], properties: { $ctor: { enum: [...t.ctors] } }, allOf: branches };
      if (!t.refKind) return ctorSchema;
      return { type: "object", if: { required: ["$ref"] }, then: { required: ["$ref"] }, else: ctorSchema };
    }
    case "ref":
      return { type: "object", required: ["$ref"], properties: { $ref: { type: "string" } } };
    case "either":
      return { anyOf: [typeSchema(t.of[0]), typeSchema(t.of[1])] };
  }
}

/** All constructor schemas, for `seer schema` and the docs. */
export function allSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [name, def] of CONSTRUCTORS) {
    out[name] = { $schema: "http://json-schema.org/draft-07/schema#", title: name, description: def.doc, ...constructorSchema(def) };
  }
  return out;
}
