/**
 * `seer plan` on a generated sweep (issue: execution graph): K pretrainings that differ in
 * one hyperparameter (derived declarations, the language's way to sweep) crossed with E
 * linear probes that differ in seed, in one suite: 1 + K + 2K + K*E + 1 stages (2 042 for
 * K = 40, E = 48). Baseline, same run: `seer check` of the same recipe.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { seerWall } from "./quickstart.js";
import { median } from "./stats.js";

export function sweepRecipe(k: number, e: number): string {
  const lines = [
    "dataset shapes = synthetic { images = 320  size = 32px  classes = 10  splits { train = 80%  test = 20% }  seed = 1 }",
    "model tiny = regnet { family = Y  depth = 8  w0 = 16  wa = 12.0  wm = 1.8  group_width = 8  bottleneck = 1.0  se_ratio = 0.25 }",
    "pretrain p0 = swav {",
    "  model = tiny",
    "  data  = shapes.train",
    "  crops = [crop { count = 2  size = 32px  scale = 0.3..1.0 }, crop { count = 2  size = 16px  scale = 0.1..0.3 }]",
    "  head = mlp { dims = [128, 64]  batch_norm = true }",
    "  prototypes = 64",
    "  batch = 64 images",
    "  duration = 1 epochs",
    "}",
  ];
  for (let i = 1; i < k; i++) lines.push(`pretrain p${i} = p0 { temperature = ${(0.05 + 0.005 * i).toFixed(3)} }`);
  lines.push("eval e0 = linear_probe { train = shapes.train  test = shapes.test  epochs = 2 epochs }");
  for (let j = 1; j < e; j++) lines.push(`eval e${j} = e0 { seed = ${j} }`);
  lines.push("suite sweep {", `  features = [${Array.from({ length: k }, (_, i) => `p${i}.pool`).join(", ")}]`, `  evals    = [${Array.from({ length: e }, (_, j) => `e${j}`).join(", ")}]`, "}");
  lines.push("report summary = table { suite = sweep }");
  return `${lines.join("\n")}\n`;
}

export function benchSweep(k = 40, e = 48, runs = 5): Record<string, number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seer-bench-sweep-"));
  try {
    const recipe = sweepRecipe(k, e);
    writeFileSync(path.join(dir, "sweep.seer"), recipe);
    const warm = seerWall(["plan", "sweep.seer", "--json"], dir); // measures the backend calibration once (cached in .seer/)
    const stages = (JSON.parse(warm.stdout) as { stages: unknown[] }).stages.length;
    const plan = median(Array.from({ length: runs }, () => seerWall(["plan", "sweep.seer"], dir).ms));
    const check = median(Array.from({ length: runs }, () => seerWall(["check", "sweep.seer"], dir).ms));
    return { stages, lines: recipe.split("\n").length - 1, planMs: plan, checkMs: check, ratio: plan / check };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
