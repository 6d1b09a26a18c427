/**
 * What a RegNet spec expands to, as `seer explain` shows it: stages, parameters with and
 * without the classification head, FLOPs, activations and memory at an input size.
 */
import { complexity, expandStages, memoryEstimate, tapShapes, type RegNetParams } from "./arith.js";

export interface ExplainedStage {
  name: string;
  depth: number;
  width: number;
  group_width: number;
  groups: number;
  bottleneck_width: number;
  width_before_adjust: number;
  stride: number;
  output: [number, number, number];
  params: number;
  flops: number;
  acts: number;
}

export interface ExplainedModel {
  name: string;
  family: "X" | "Y";
  /** pycls figures with the classification head (`classes` outputs), at `input`. */
  params: number;
  flops: number;
  acts: number;
  trunk_params: number;
  trunk_flops: number;
  trunk_acts: number;
  input: number;
  classes: number;
  spec: { depth: number; w0: number; wa: number; wm: number; group_width: number; bottleneck: number; se_ratio: number | null; stem_width: number };
  stages: ExplainedStage[];
  taps: Record<string, [number, number, number]>;
  memory: { batch: number; weights_bytes: number; activation_bytes_per_image: number; training_bytes: number };
}

export function explainModel(name: string, p: RegNetParams, opts: { input: number; classes: number; batch: number }): ExplainedModel {
  const { stages, problems } = expandStages(p);
  if (problems.length > 0) throw new Error(problems[0]!.message);
  const cx = complexity(p, { inputSize: opts.input, classes: opts.classes });
  const shapes = tapShapes(p, opts.input);
  const mem = memoryEstimate(p, { inputSize: opts.input, batch: opts.batch, classes: opts.classes });
  const taps: Record<string, [number, number, number]> = {};
  for (const [tap, s] of Object.entries(shapes)) taps[tap] = [s.channels, s.height, s.width];
  return {
    name,
    family: p.family,
    params: cx.params,
    flops: cx.flops,
    acts: cx.acts,
    trunk_params: cx.trunkParams,
    trunk_flops: cx.trunkFlops,
    trunk_acts: cx.trunkActs,
    input: opts.input,
    classes: opts.classes,
    spec: { depth: p.depth, w0: p.w0, wa: p.wa, wm: p.wm, group_width: p.groupWidth, bottleneck: p.bottleneck, se_ratio: p.seRatio, stem_width: p.stemWidth },
    stages: stages.map((s, i) => {
      const out = taps[`res${i + 2}`] ?? [s.width, 0, 0];
      const c = cx.stages[i]!;
      return { name: `res${i + 2}`, depth: s.depth, width: s.width, group_width: s.groupWidth, groups: s.groups, bottleneck_width: s.bottleneckWidth, width_before_adjust: s.widthBeforeAdjust, stride: s.stride, output: out, params: c.params, flops: c.flops, acts: c.acts };
    }),
    taps,
    memory: { batch: opts.batch, weights_bytes: mem.weightsBytes, activation_bytes_per_image: mem.activationBytesPerImage, training_bytes: mem.trainingBytes },
  };
}

/** 9352215872 -> "9.35e9 (9,352,215,872)"-style human figures. */
export function humanCount(n: number): string {
  const units: [number, string][] = [[1e9, "B"], [1e6, "M"], [1e3, "K"]];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${(n / v).toFixed(n / v >= 100 ? 0 : 2)}${u}`;
  return String(n);
}

/** Multiply-adds as pycls reports them: `4.00 GF`, `199 MF`. */
export function humanFlops(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e11 ? 0 : 2)} GF`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 2)} MF`;
  return `${(n / 1e3).toFixed(2)} KF`;
}

export function humanBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatExplained(m: ExplainedModel): string {
  const group = (n: number) => n.toLocaleString("en-US");
  const lines: string[] = [];
  const s = m.spec;
  lines.push(`${m.name}: RegNet${m.family} depth ${s.depth}, w0 ${s.w0}, wa ${s.wa}, wm ${s.wm}, group width ${s.group_width}, bottleneck ${s.bottleneck}${m.family === "Y" ? `, SE ${s.se_ratio}` : ""}, stem ${s.stem_width}`);
  lines.push("");
  const header = ["stage", "depth", "width", "group w", "groups", "output (CxHxW)", "params", "FLOPs"];
  const rows = [["stem", "1", String(s.stem_width), "-", "-", (m.taps["stem"] ?? []).join("x"), "", ""], ...m.stages.map((st) => [st.name, String(st.depth), String(st.width), String(st.group_width), String(st.groups), st.output.join("x"), humanCount(st.params), humanFlops(st.flops)])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmtRow = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  lines.push(fmtRow(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmtRow));
  lines.push("");
  lines.push(`input            ${m.input}x${m.input}px, ${m.classes}-class head`);
  lines.push(`params           ${humanCount(m.params)} (${group(m.params)}) with head; ${humanCount(m.trunk_params)} (${group(m.trunk_params)}) trunk only`);
  lines.push(`FLOPs            ${humanFlops(m.flops)} (${group(m.flops)} multiply-adds) with head; ${humanFlops(m.trunk_flops)} trunk only`);
  lines.push(`activations      ${humanCount(m.acts)} (${group(m.acts)}) per image`);
  lines.push(`memory           weights ${humanBytes(m.memory.weights_bytes)} (fp32); training activations ${humanBytes(m.memory.activation_bytes_per_image)} per image; about ${humanBytes(m.memory.training_bytes)} to train at batch ${m.memory.batch}`);
  lines.push(`feature taps     ${Object.entries(m.taps).map(([t, sh]) => `${t} ${sh.join("x")}`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}
