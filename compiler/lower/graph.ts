/**
 * The execution graph: the contract between the compiler and the runtime (versioned JSON).
 * A stage's id is a content hash of its kind, its fully resolved config, the ids of its
 * inputs and the seer version: change any of them and the stage (and everything downstream)
 * gets a new id. Dataset fingerprints and the backend class join the hash when a plan is made.
 */
export const GRAPH_VERSION = 1;

export type StageKind = "prepare-data" | "pretrain-swav" | "random-init" | "extract-features" | "linear-eval" | "knn-eval" | "fairness-eval" | "robustness-eval" | "copy-detection-eval" | "report";

export interface Stage {
  /** `sha256:` + hex digest of kind, config, input ids and seer version. */
  id: string;
  /** Readable, unique within the graph: `pretrain/swav_tiny`, `eval/quickstart/swav_tiny.pool/linear`. */
  name: string;
  kind: StageKind;
  /** The resolved configuration the runtime executes (defaults filled in). */
  config: Record<string, unknown>;
  /** Names of the stages this one reads. */
  inputs: string[];
  resources: { gpus: number; cpu: boolean };
  /** Where in the recipe it comes from. */
  source: { file: string; declaration: string };
}

export interface ExecGraph {
  version: typeof GRAPH_VERSION;
  seer: string;
  recipe: string;
  stages: Stage[];
}

/** The JSON Schema of the graph (validated with ajv in tests and by `seer graph`). */
export const GRAPH_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "seer execution graph",
  type: "object",
  required: ["version", "seer", "recipe", "stages"],
  additionalProperties: false,
  properties: {
    version: { const: GRAPH_VERSION },
    seer: { type: "string" },
    recipe: { type: "string" },
    stages: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "name", "kind", "config", "inputs", "resources", "source"],
        additionalProperties: false,
        properties: {
          id: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
          name: { type: "string", minLength: 1 },
          kind: { enum: ["prepare-data", "pretrain-swav", "random-init", "extract-features", "linear-eval", "knn-eval", "fairness-eval", "robustness-eval", "copy-detection-eval", "report"] },
          config: { type: "object" },
          inputs: { type: "array", items: { type: "string" } },
          resources: { type: "object", required: ["gpus", "cpu"], properties: { gpus: { type: "integer", minimum: 0 }, cpu: { type: "boolean" } }, additionalProperties: false },
          source: { type: "object", required: ["file", "declaration"], properties: { file: { type: "string" }, declaration: { type: "string" } }, additionalProperties: false },
        },
      },
    },
  },
} as const;

/** Canonical JSON: object keys sorted at every level, so hashes and files are deterministic. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Pretty JSON with sorted keys (for files and `seer graph --format json`). */
export function sortedPretty(v: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJson(v)), null, 2);
}
