/**
 * The JSON Schema of a run record (version 1), checked by `readRecord` and `writeRecord`.
 * Known objects are closed (`additionalProperties: false`), as in the graph schema: a new
 * field is added here and to `RunRecord` together. `recipe.resolved` is free-form and
 * `graph` is checked only as far as `seer diff` reads it (stages with a name and a spec; a graph of version 1 has a `config` instead).
 */
import { ENGINE_NAMES } from "../engines/engine.js";
import { RECORD_FORMAT, RECORD_VERSION } from "./record.js";

export const ISO_TIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}";
export const SHA256_HEX = "^[0-9a-f]{64}$";
export const RUN_ID = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
const str = { type: "string" } as const;
const time = { type: "string", pattern: ISO_TIME } as const;
const nullableTime = { type: ["string", "null"], pattern: ISO_TIME } as const;
const mapOf = (values: object) => ({ type: "object", additionalProperties: values }) as const;

function closed(properties: Record<string, object>, optional: string[] = []) {
  return { type: "object", required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false, properties } as const;
}

const stage = closed(
  {
    id: str,
    name: { type: "string", minLength: 1 },
    kind: str,
    status: { enum: ["ran", "cached", "failed", "skipped"] },
    host: str,
    seconds: { type: "number", minimum: 0 },
    output_digest: { type: ["string", "null"] },
    started: nullableTime,
    finished: nullableTime,
    error: str,
    engine: { enum: [...ENGINE_NAMES] },
    world_size: { type: "integer", minimum: 1 },
    unreadable: closed({ count: { type: "integer", minimum: 1 }, files: { type: "array", items: closed({ path: str, reason: str }) } }),
  },
  ["error", "engine", "world_size", "unreadable"],
);

const torch = closed({ version: str, cuda: { type: ["string", "null"] }, devices: { type: "array", items: closed({ name: str, memory_bytes: { type: "integer", minimum: 0 } }) }, python: str });

const graph = {
  type: "object",
  required: ["stages"],
  properties: {
    stages: { type: "array", items: { type: "object", required: ["name"], anyOf: [{ required: ["spec"], properties: { spec: { type: "object" } } }, { required: ["config"], properties: { config: { type: "object" } } }], properties: { name: { type: "string", minLength: 1 }, spec: { type: "object" }, config: { type: "object" } } } },
  },
} as const;

export const RECORD_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "seer run record",
  ...closed({
    format: { const: RECORD_FORMAT },
    version: { const: RECORD_VERSION },
    run_id: { type: "string", pattern: RUN_ID },
    status: { enum: ["succeeded", "failed", "cancelled"] },
    created: time,
    finished: time,
    command: { type: "array", items: str },
    project: str,
    recipe: closed({
      file: { type: "string", minLength: 1 },
      params: mapOf(str),
      sources: { type: "array", items: closed({ path: { type: "string", minLength: 1 }, sha256: { type: "string", pattern: SHA256_HEX }, text: str }) },
      resolved: {},
    }),
    graph,
    environment: closed({ seer: str, node: str, tfjs: str, backend: str, engine: { enum: [...ENGINE_NAMES] }, torch, platform: str, arch: str, cpus: { type: "integer", minimum: 0 }, hostname: str }, ["engine", "torch"]),
    git: { ...closed({ commit: str, dirty: { type: "boolean" }, root: str }), type: ["object", "null"] },
    datasets: { type: "array", items: closed({ name: str, fingerprint: str, location: { type: ["string", "null"] }, images: { type: "integer", minimum: 0 } }, ["location", "images"]) },
    seeds: mapOf({ type: "integer" }),
    stages: { type: "array", items: stage },
    metrics: mapOf(mapOf(mapOf({ type: "number" }))),
    metric_configs: mapOf(mapOf(mapOf(str))),
    report: { type: ["string", "null"] },
  }),
} as const;
