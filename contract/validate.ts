/**
 * Validation of stages handed over from another process (a job file, a worker's message)
 * against the contract's JSON Schema, the same file any other language reads.
 */
import { Ajv, type ValidateFunction } from "ajv";
import type { Stage } from "./graph.js";
import { STAGE_KIND_NAMES, type StageKind } from "./kinds.js";
import { stageSchema, STAGE_SCHEMA } from "./schema.js";

export class ContractError extends Error {
  override name = "ContractError";
}

const ajv = new Ajv({ allErrors: true, strict: false });
let any: ValidateFunction<Stage> | undefined;
const byKind = new Map<StageKind, ValidateFunction>();

/** True when `v` is a stage of the current contract version (compiled once, on first use). */
export function isStage(v: unknown): v is Stage {
  any ??= ajv.compile<Stage>(STAGE_SCHEMA);
  return any(v);
}

const isKindName = (k: unknown): k is StageKind => typeof k === "string" && (STAGE_KIND_NAMES as readonly string[]).includes(k);

/** `v` as a stage, or a ContractError naming the first problems (path and reason) against its kind's schema. */
export function parseStage(v: unknown, what = "stage"): Stage {
  if (isStage(v)) return v;
  const kind = typeof v === "object" && v !== null && "kind" in v ? v.kind : undefined;
  if (!isKindName(kind)) throw new ContractError(`${what} does not follow the seer stage contract: unknown kind ${JSON.stringify(kind)} (kinds: ${STAGE_KIND_NAMES.join(", ")})`);
  let validate = byKind.get(kind);
  if (!validate) byKind.set(kind, (validate = ajv.compile(stageSchema(kind))));
  validate(v);
  const errs = (validate.errors ?? []).filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  const shown = errs.slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`).join("; ");
  throw new ContractError(`${what} does not follow the seer stage contract${shown ? `: ${shown}` : ""}`);
}
