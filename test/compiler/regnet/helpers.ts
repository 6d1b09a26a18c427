// Test-only helpers: read the fixtures and the standard-library preset file from the source
// tree. The preset reader is a regex over `model NAME = regnet { ... }` lines, not the seer
// parser; product code reads presets through the real parser.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withDefaults, type RegNetInput, type RegNetParams } from "../../../compiler/regnet/arith.js";

/** The repository root (this file runs from build/test/compiler/regnet/). */
export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export function readText(relative: string): string {
  return readFileSync(ROOT + relative, "utf8");
}

export function readJson(relative: string): unknown {
  return JSON.parse(readText(relative));
}

export interface ReferencePreset {
  name: string;
  family: "X" | "Y";
  depth: number;
  w0: number;
  wa: number;
  wm: number;
  group_w: number;
  bot_mul: number;
  se_ratio: number | null;
  stem_w: number;
  params: number;
  flops: number;
  acts: number;
  derived_stage_depths: number[];
  derived_stage_widths: number[];
  derived_stage_group_widths: number[];
  derived_stage_num_groups: number[];
  derived_stage_widths_before_group_adjust: number[];
}

export function referencePresets(): ReferencePreset[] {
  const data = readJson("test/compiler/regnet/fixtures/regnet-reference-figures.json") as { presets: ReferencePreset[] };
  return data.presets;
}

export interface Counted {
  params: number;
  flops: number;
  acts: number;
}

export function pyclsFigures(): Record<string, Counted> {
  const data = readJson("test/compiler/regnet/fixtures/pycls-model-complexity.json") as { presets: Record<string, Counted> };
  return data.presets;
}

export interface SeerPreset {
  identifier: string;
  /** The `///` line above the declaration, without the slashes. */
  doc: string;
  params: RegNetParams;
  /** Field names as written in the file. */
  fields: string[];
}

const DECLARATION = /^model\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*regnet\s*\{(.*)\}\s*$/;
const FIELD = /([a-z_][a-z0-9_]*)\s*=\s*(\S+)/g;

export function seerPresets(): SeerPreset[] {
  const lines = readText("recipes/std/regnet.seer").split(/\r?\n/);
  const out: SeerPreset[] = [];
  lines.forEach((line, i) => {
    const m = DECLARATION.exec(line);
    if (m === null) return;
    const values = new Map<string, string>();
    for (const f of (m[2] ?? "").matchAll(FIELD)) values.set(f[1] ?? "", f[2] ?? "");
    const num = (key: string): number | undefined => (values.has(key) ? Number(values.get(key)) : undefined);
    const family = values.get("family");
    if (family !== "X" && family !== "Y") throw new Error(`Line ${i + 1}: bad family ${String(family)}.`);
    const input: RegNetInput = {
      family,
      depth: num("depth") ?? NaN,
      w0: num("w0") ?? NaN,
      wa: num("wa") ?? NaN,
      wm: num("wm") ?? NaN,
      groupWidth: num("group_width") ?? NaN,
      bottleneck: num("bottleneck"),
      seRatio: num("se_ratio"),
      stemWidth: num("stem_width"),
    };
    const previous = lines[i - 1] ?? "";
    out.push({
      identifier: m[1] ?? "",
      doc: previous.startsWith("///") ? previous.slice(3).trim() : "",
      params: withDefaults(input),
      fields: [...values.keys()],
    });
  });
  return out;
}

/** The preset called `identifier` in recipes/std/regnet.seer. */
export function seerPreset(identifier: string): RegNetParams {
  const found = seerPresets().find((p) => p.identifier === identifier);
  if (found === undefined) throw new Error(`No preset ${identifier} in recipes/std/regnet.seer.`);
  return found.params;
}

export function y(depth: number, w0: number, wa: number, wm: number, groupWidth: number): RegNetParams {
  return withDefaults({ family: "Y", depth, w0, wa, wm, groupWidth });
}

export function x(depth: number, w0: number, wa: number, wm: number, groupWidth: number): RegNetParams {
  return withDefaults({ family: "X", depth, w0, wa, wm, groupWidth });
}
