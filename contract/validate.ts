/**
 * Validation of stages handed over from another process (a job file, a worker's message)
 * against the contract's JSON Schema, the same file any other language reads.
 */
import { Ajv, type ValidateFunction } from "ajv";
import type { Stage } from "./graph.js";
import { STAGE_SCHEMA } from "./schema.js";

export class ContractError extends Error {
  override name = "ContractError";
}

let validator: ValidateFunction<Stage> | undefined;

/** True when `v` is a stage of the current contract version (compiled once, on first use). */
export function isStage(v: unknown): v is Stage {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile<Stage>(STAGE_SCHEMA);
  return validator(v);
}

/** `v` as a stage, or a ContractError naming the first problems (path and reason). */
export function parseStage(v: unknown, what = "stage"): Stage {
  if (isStage(v)) return v;
  const errs = (validator?.errors ?? []).filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "const");
  const shown = errs.slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`).join("; ");
  throw new ContractError(`${what} does not follow the seer stage contract${shown ? `: ${shown}` : ""}`);
}
