/**
 * The quickstart end to end (issue: execution graph): `seer run recipes/quickstart.seer` once
 * in a fresh temporary project (everything runs: this is the slow part, about 5.5 minutes on
 * 2 cores), then fully cached reruns of the same project, timed as a user sees them (a new
 * process each). Baseline, same run: `seer check` of the same recipe (start-up and compile).
 * The first run's stage times also give the share of the suite spent training probes, and the
 * images/s of its features stages against its pretraining's.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { QUICKSTART, SEER_BIN as SEER } from "./paths.js";
import { median } from "./stats.js";

interface Summary {
  stages: { name: string; kind: string; status: string; seconds: number }[];
}

/** Runs `seer ARGS` in `cwd`; wall-clock ms and stdout. */
export function seerWall(args: string[], cwd: string): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [SEER, ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`seer ${args.join(" ")} exited ${r.status}: ${r.stderr.split("\n").slice(-5).join("\n")}`);
  return { ms, stdout: r.stdout };
}

const PROBES = new Set(["linear-eval", "fairness-eval", "robustness-eval"]);

/** What the project's cache holds: each stage's kind, the images its feature files cover, a pretraining's images/s. */
function publishedStages(project: string): { kind: string; images: number; imagesPerSecond?: number }[] {
  const root = path.join(project, ".seer", "stages");
  return readdirSync(root).map((key) => {
    const dir = path.join(root, key);
    const m = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { kind: string; files: { path: string }[] };
    const json = (f: string) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Record<string, unknown>;
    const images = m.kind === "extract-features" ? m.files.filter((f) => f.path.endsWith(".json")).reduce((a, f) => a + Number(json(f.path)["n"] ?? 0), 0) : 0;
    const summary = m.kind === "pretrain-swav" ? json("telemetry/telemetry.json") : {};
    return { kind: m.kind, images, ...(typeof summary["imagesPerSecond"] === "number" ? { imagesPerSecond: summary["imagesPerSecond"] } : {}) };
  });
}

export function benchQuickstart(reruns = 5): Record<string, number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seer-bench-quickstart-"));
  try {
    copyFileSync(QUICKSTART, path.join(dir, "quickstart.seer"));
    const first = seerWall(["run", "quickstart.seer", "--json"], dir);
    const s = JSON.parse(first.stdout) as Summary;
    const sum = (f: (k: string) => boolean) => s.stages.filter((x) => f(x.kind)).reduce((a, x) => a + x.seconds, 0);
    const suite = sum((k) => k === "extract-features" || k.endsWith("-eval"));
    const probes = sum((k) => PROBES.has(k));
    const pretrain = sum((k) => k === "pretrain-swav");
    const features = s.stages.filter((x) => x.kind === "extract-features");
    const published = publishedStages(dir);
    const featureImages = published.filter((x) => x.kind === "extract-features").reduce((a, x) => a + x.images, 0);
    const featuresSeconds = features.reduce((a, x) => a + x.seconds, 0);
    const pretrainRate = published.find((x) => x.kind === "pretrain-swav")?.imagesPerSecond ?? Number.NaN;
    const times: number[] = [];
    for (let i = 0; i < reruns; i++) {
      const r = seerWall(["run", "quickstart.seer", "--json"], dir);
      const again = JSON.parse(r.stdout) as Summary;
      if (!again.stages.every((x) => x.status === "cached")) throw new Error("quickstart bench: the rerun was not fully cached");
      times.push(r.ms);
    }
    const check = median(Array.from({ length: 5 }, () => seerWall(["check", "quickstart.seer"], dir).ms));
    const cached = median(times);
    return {
      stages: s.stages.length,
      firstSeconds: first.ms / 1000,
      pretrainSeconds: pretrain,
      featureStages: features.length,
      featuresSeconds,
      featureImages,
      featuresRate: featureImages / featuresSeconds,
      pretrainRate,
      suiteSeconds: suite,
      probeSeconds: probes,
      probeFraction: probes / suite,
      cachedMs: cached,
      checkMs: check,
      ratio: cached / check,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
