/** The provenance section as label/value facts and a stage table, shared by HTML and Markdown. */
import type { Provenance, ReportData } from "./data.js";
import { formatSeconds, shortId } from "./text.js";

export interface Fact { label: string; value: string }

export function runFacts(data: ReportData): Fact[] {
  return [
    { label: "run", value: data.runId },
    { label: "recipe", value: data.recipe },
    { label: "created", value: data.created },
    ...versionFacts(data.provenance),
  ];
}

function versionFacts(p: Provenance): Fact[] {
  return [
    { label: "seer", value: p.seer },
    { label: "node", value: p.node },
    { label: "tfjs", value: p.tfjs },
    { label: "backend", value: p.backend },
    ...(p.torch ? [{ label: "torch", value: p.torch }] : []),
    { label: "git", value: p.git ? `${p.git.commit}${p.git.dirty ? " (dirty: uncommitted changes)" : ""}` : "not a git checkout" },
  ];
}

export const STAGE_COLUMNS = ["stage", "kind", "engine", "status", "time", "host", "id"] as const;

/** One row per stage, cells in STAGE_COLUMNS order. */
export function stageRows(p: Provenance): string[][] {
  return p.stages.map((s) => [s.name, s.kind, s.engine ?? "tfjs", s.status, formatSeconds(s.seconds), s.host, shortId(s.id)]);
}

/** Pretraining runs whose loss stayed at the collapse level. */
export function collapsedRuns(data: ReportData): string[] {
  return data.pretraining.filter((r) => r.collapse === true).map((r) => r.name);
}
