/** `report`: the suite's results table, the pretraining curves and the run's provenance, as HTML, Markdown and JSON. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isKind } from "../../../contract/graph.js";
import type { ReportData } from "../../report/data.js";
import { writeReport } from "../../report/write.js";
import { stageOf, type StageContext } from "./context.js";
import { summaryOf } from "./data-ref.js";
import { readEvalOutput } from "./evals.js";
import { PRETRAIN_METRICS } from "./pretrain.js";

export async function report(ctx: StageContext): Promise<void> {
  const { spec } = stageOf(ctx, "report");
  const name = ctx.stage.name.replace(/^report\//, "");
  const rows: string[] = [];
  const metrics: string[] = [];
  const cells: Record<string, Record<string, { value: number; config: string }>> = {};
  for (const n of spec.evals) {
    const e = ctx.upstream.get(n);
    if (!e) continue;
    const out = readEvalOutput(e.dir);
    if (!rows.includes(out.row)) rows.push(out.row);
    for (const [m, value] of Object.entries(out.metrics)) {
      if (!metrics.includes(m)) metrics.push(m);
      (cells[out.row] ??= {})[m] = { value, config: out.config };
    }
  }
  const upstream = [...ctx.upstream.values()];
  const pretraining = upstream
    .filter((s) => s.stage.kind === "pretrain-swav" && existsSync(path.join(s.dir, PRETRAIN_METRICS)))
    .map((s) => {
      const points = readFileSync(path.join(s.dir, PRETRAIN_METRICS), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { step: number; loss: number; lr: number }).map(({ step, loss, lr }) => ({ step, loss, lr }));
      const k = isKind(s.stage, "pretrain-swav") ? s.stage.spec.prototypes : 0;
      return { name: s.stage.name.replace(/^pretrain\//, ""), points, ...(k > 0 ? { collapseLoss: Math.log(k) } : {}) };
    });
  const p = ctx.provenance();
  const data: ReportData = {
    name,
    recipe: p.recipe,
    runId: p.runId,
    created: new Date().toISOString(),
    plots: spec.plots,
    suite: { name: spec.suite, rows, metrics, cells },
    pretraining,
    provenance: {
      seer: p.seer,
      node: p.node,
      tfjs: p.tfjs,
      backend: ctx.backend.name,
      ...(p.torch ? { torch: p.torch } : {}),
      git: p.git,
      stages: p.stages,
      datasets: upstream.filter((s) => s.stage.kind === "prepare-data").map((s) => ({ name: s.stage.name.replace(/^data\//, ""), fingerprint: summaryOf(s).fingerprint })),
    },
  };
  writeReport(ctx.out, data);
}
