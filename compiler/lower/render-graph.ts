/** Graphviz DOT and Mermaid renderings of an execution graph. */
import type { ExecGraph } from "../../contract/graph.js";
import { STAGE_KINDS } from "../../contract/kinds.js";

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** `notes`: an extra label line per stage name (a pretraining's steps and learning rate). */
export function toDot(g: ExecGraph, notes: ReadonlyMap<string, string> = new Map()): string {
  const lines = [`digraph ${quote(g.recipe)} {`, "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=10];'];
  for (const s of g.stages) lines.push(`  ${quote(s.name)} [shape=${STAGE_KINDS[s.kind].shape}, label=${quote(`${s.name}\n${s.kind} ${s.id.slice(7, 19)}${notes.has(s.name) ? `\n${notes.get(s.name)}` : ""}`)}];`);
  for (const s of g.stages) for (const i of s.inputs) lines.push(`  ${quote(i)} -> ${quote(s.name)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

export function toMermaid(g: ExecGraph, notes: ReadonlyMap<string, string> = new Map()): string {
  const ids = new Map(g.stages.map((s, i) => [s.name, `s${i}`]));
  const esc = (s: string) => s.replace(/"/g, "#quot;");
  const lines = ["flowchart LR"];
  for (const s of g.stages) lines.push(`  ${ids.get(s.name)}["${esc(s.name)}<br/>${s.kind}${notes.has(s.name) ? `<br/>${esc(notes.get(s.name)!)}` : ""}"]`);
  for (const s of g.stages) for (const i of s.inputs) lines.push(`  ${ids.get(i)} --> ${ids.get(s.name)}`);
  return `${lines.join("\n")}\n`;
}
