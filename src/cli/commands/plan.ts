/** `seer plan RECIPE` and `seer why RECIPE STAGE`: what a run would do, and why, without running anything. */
import { runsOnEngine, TORCH_STAGE_KINDS } from "../../../runtime/engines/engine.js";
import { EXIT, UsageError } from "../errors.js";
import { emitDiagnostics, type ColorMode } from "../output.js";
import { costTarget, estimate, resolveHardware } from "./estimate.js";
import { overflowDiagnostic } from "./job.js";
import { prepare } from "./prepare.js";
import { failuresJson } from "./run-failures.js";

export interface PlanCliOptions {
  set: string[];
  backend?: string;
  /** `--engine` (else SEER_ENGINE, else tfjs). */
  engine?: string;
  /** `--hardware`: the accelerator the estimates are for (default `cpu`, this machine). */
  hardware?: string;
  json: boolean;
  color: ColorMode;
}

export async function runPlanCommand(file: string, o: PlanCliOptions): Promise<number> {
  const hardware = resolveHardware(o.hardware);
  const r = await prepare(file, { set: o.set, color: o.color, plan: { assumeAccelerators: hardware.peak !== null }, ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}) });
  if (typeof r === "number") return r;
  const { c, p } = r;
  const est = estimate(p, costTarget(p, hardware));
  const overflows = est.overflows.flatMap((x) => overflowDiagnostic(c, x) ?? []);
  if (overflows.length > 0) emitDiagnostics(overflows, c.program.files, 1, { format: "text", color: o.color });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ backend: p.backend.info.name, engine: p.engine.choice.name, hardware: hardware.name, ...(p.engine.torch ? { torch: { python: p.engine.torch.python, version: p.engine.torch.torch, cuda: p.engine.torch.cuda } } : {}), stages: p.plan.map((d) => ({ name: d.stage.name, kind: d.stage.kind, engine: runsOnEngine(d.stage, p.engine.choice.name), id: d.key, action: d.action, reasons: d.reasons, estimate: est.stages.get(d.stage.name) ?? null })), totals: est.totals, infeasible: p.infeasible, diagnostics: failuresJson(c, [...r.warnings, ...overflows]) }, null, 2)}\n`);
  } else {
    const w = Math.max(...p.plan.map((d) => d.stage.name.length));
    for (const d of p.plan) process.stdout.write(`${d.action === "run" ? "run   " : "cached"}  ${d.stage.name.padEnd(w)}  ${d.reasons.join("; ")}\n`);
    const run = p.plan.filter((d) => d.action === "run").length;
    process.stdout.write(`\n${p.plan.length} stages: ${run} to run, ${p.plan.length - run} cached (backend ${p.backend.info.name}${p.engine.choice.name === "torch" ? `; engine torch for ${TORCH_STAGE_KINDS.join(", ")}${p.engine.torch ? `: torch ${p.engine.torch.torch} with ${p.engine.torch.python}` : ""}` : ""})\n`);
    for (const l of est.lines) process.stdout.write(`${l}\n`);
    for (const x of p.infeasible) process.stdout.write(`error: ${x}\n`);
  }
  return p.infeasible.length > 0 || overflows.length > 0 ? EXIT.runtime : EXIT.ok;
}

export async function runWhy(file: string, stage: string, o: PlanCliOptions): Promise<number> {
  const r = await prepare(file, { set: o.set, color: o.color, plan: { assumeAccelerators: false }, ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}) });
  if (typeof r === "number") return r;
  const { p } = r;
  const hits = p.plan.filter((d) => d.stage.name === stage || d.stage.name.endsWith(`/${stage}`));
  if (hits.length !== 1) throw new UsageError(hits.length === 0 ? `No stage named \`${stage}\`.` : `\`${stage}\` matches ${hits.length} stages; use a full name.`, `stages: ${(hits.length ? hits : p.plan).map((d) => d.stage.name).slice(0, 10).join(", ")}`);
  const d = hits[0]!;
  if (o.json) process.stdout.write(`${JSON.stringify({ name: d.stage.name, kind: d.stage.kind, id: d.key, action: d.action, reasons: d.reasons, inputs: d.stage.inputs }, null, 2)}\n`);
  else {
    process.stdout.write(`${d.stage.name} (${d.stage.kind}) would ${d.action === "run" ? "RUN" : "be taken from the cache"}\n`);
    for (const r of d.reasons) process.stdout.write(`  - ${r}\n`);
    process.stdout.write(`  key ${d.key.slice(0, 16)}, from ${d.stage.source.file} (${d.stage.source.declaration})\n`);
    if (d.stage.inputs.length > 0) process.stdout.write(`  inputs: ${d.stage.inputs.join(", ")}\n`);
  }
  return EXIT.ok;
}
