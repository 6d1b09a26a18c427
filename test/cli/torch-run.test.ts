/**
 * The torch engine end to end through the CLI, on test/fixtures/torch/tiny.seer: `seer run
 * --engine torch` runs every stage (the pretraining on torch, the rest on tfjs), publishes the
 * same files as the tfjs engine, and the record says which engine ran what and with which torch;
 * a rerun is cached; switching engines reruns the pretraining and what reads it; two ranks
 * (`--nproc-per-node 2`) form their own cache entry; `seer pretrain --engine torch` runs too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES } from "../helpers/paths.js";
import { needTorch } from "../helpers/torch.js";

interface Summary {
  stages: { name: string; id: string; kind: string; status: string }[];
  report: string | null;
  run_dir: string;
}
interface RecordFile {
  environment: { engine: string; torch?: { version: string; python: string } };
  stages: { name: string; kind: string; engine?: string; world_size?: number }[];
}

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-torch-run-"));
  copyFileSync(path.join(FIXTURES, "torch", "tiny.seer"), path.join(dir, "tiny.seer"));
  return dir;
}

const run = (dir: string, args: string[]) => {
  const r = seer(["run", "tiny.seer", "--json", ...args], { cwd: dir, timeout: 600_000, env: { SEER_PROGRESS: "plain" } });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  return { ...(JSON.parse(r.stdout) as Summary), stderr: r.stderr };
};

test("seer run --engine torch: every stage runs, torch pretrains, the record says so; cached on rerun; engines and ranks key apart", { timeout: 900_000 }, (t) => {
  if (!needTorch(t)) return;
  const dir = project();
  const first = run(dir, ["--engine", "torch"]);
  assert.ok(first.stages.length >= 10 && first.stages.every((s) => s.status === "ran"), JSON.stringify(first.stages));
  assert.match(first.stderr, /engine: torch \(.+\), 1 rank on this host/);

  const pre = first.stages.find((s) => s.kind === "pretrain-swav")!;
  const out = path.join(dir, ".seer", "stages", pre.id);
  for (const f of ["trunk.seerckpt", "metrics.jsonl", "summary.json", "telemetry/telemetry.json"]) assert.ok(existsSync(path.join(out, f)), `${f} published`);
  const metrics = readFileSync(path.join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(metrics.length, 16);
  assert.deepEqual(Object.keys(metrics[0]!), ["step", "epoch", "loss", "lr", "queue", "prototypes_frozen"], "the tfjs engine's metrics lines");
  const tele = JSON.parse(readFileSync(path.join(out, "telemetry", "telemetry.json"), "utf8")) as Record<string, unknown>;
  assert.equal(tele["engine"], "torch");
  assert.equal(tele["worldSize"], 1);

  const rec = JSON.parse(readFileSync(path.resolve(dir, first.run_dir, "record.json"), "utf8")) as RecordFile;
  assert.equal(rec.environment.engine, "torch");
  assert.match(rec.environment.torch?.version ?? "", /^\d+\.\d+/);
  for (const s of rec.stages) assert.equal(s.engine, s.kind === "pretrain-swav" ? "torch" : "tfjs", s.name);
  assert.equal(rec.stages.find((s) => s.kind === "pretrain-swav")?.world_size, 1, "the record says how many ranks trained");

  assert.ok(first.report, "a report");
  const md = readFileSync(path.resolve(dir, first.report.replace(/\.html$/, ".md")), "utf8");
  assert.match(md, /- torch: `\d+\.\d+/, "the report names the torch version");
  assert.match(md, /`pretrain\/swav_tiny` \(pretrain-swav, torch\)/, "and the engine of the pretraining");
  assert.match(md, /`features\/swav_tiny\.pool\/shapes\.train` \(extract-features, tfjs\)/);

  const again = run(dir, ["--engine", "torch"]);
  assert.ok(again.stages.every((s) => s.status === "cached"), "a rerun is cached");

  const tfjs = run(dir, []);
  const reran = tfjs.stages.filter((s) => s.status === "ran").map((s) => s.name).sort();
  assert.deepEqual(reran, ["eval/tiny_suite/swav_tiny.pool/neighbours", "features/swav_tiny.pool/shapes.test", "features/swav_tiny.pool/shapes.train", "pretrain/swav_tiny", "report/summary"], "the pretraining and what reads it rerun on tfjs");

  const two = run(dir, ["--engine", "torch", "--nproc-per-node", "2", "--only", "pretrain/swav_tiny"]);
  const twoPre = two.stages.find((s) => s.kind === "pretrain-swav")!;
  assert.equal(twoPre.status, "ran", "two ranks are another cache entry");
  assert.notEqual(twoPre.id, pre.id);
  assert.match(two.stderr, /2 ranks on this host/);
  const twoLoss = readFileSync(path.join(dir, ".seer", "stages", twoPre.id, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { loss: number }).loss);
  metrics.forEach((m, i) => assert.ok(Math.abs(Number(m["loss"]) - twoLoss[i]!) <= 1e-4 * Math.abs(Number(m["loss"])), `step ${i + 1}`));
});

test("seer pretrain --engine torch writes the weights; the tfjs engine's features read them", { timeout: 600_000 }, (t) => {
  if (!needTorch(t)) return;
  const dir = project();
  const r = seer(["pretrain", "tiny.seer", "swav_tiny", "--engine", "torch", "--out", "weights"], { cwd: dir, timeout: 600_000 });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  assert.ok(readdirSync(path.join(dir, "weights")).includes("trunk.seerckpt"));
  const e = seer(["run", "tiny.seer", "--engine", "torch", "--only", "eval/tiny_suite/swav_tiny.pool/neighbours", "--json"], { cwd: dir, timeout: 600_000 });
  assert.equal(e.code, 0, e.stderr.slice(-3000));
  const s = JSON.parse(e.stdout) as Summary;
  assert.equal(s.stages.find((x) => x.kind === "pretrain-swav")?.status, "cached", "the pretraining seer pretrain ran is reused");
});

test("a torch pretraining on a host without torch fails clearly (exit 3), naming what was tried", (t) => {
  if (!needTorch(t)) return;
  const dir = project();
  const r = seer(["run", "tiny.seer", "--engine", "torch"], { cwd: dir, env: { SEER_PYTHON: "/nonexistent/python3" } });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /tried \/nonexistent\/python3: not found/);
  assert.doesNotMatch(r.stderr, /SEER9000|bug in seer|at .+\.js:\d+/);
});

test("seer reproduce --engine torch of a tfjs record: each metric's difference against the stated tolerance, the engine change named", { timeout: 900_000 }, (t) => {
  if (!needTorch(t)) return;
  const dir = project();
  const tfjs = run(dir, []);
  const rec = path.join(dir, tfjs.run_dir, "record.json");
  // Across engines the crops differ (each engine draws its own augmentations), so the metrics of
  // this 16-step run differ by several points: the tolerance says how much a reviewer accepts.
  const r = seer(["reproduce", rec, "--engine", "torch", "--tolerance", "100", "--json"], { cwd: dir, timeout: 600_000 });
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  const out = JSON.parse(r.stdout) as { ok: boolean; rows: { row: string; metric: string; recorded: number; fresh: number; delta: number; tolerance: number; ok: boolean }[]; environment: string[] };
  assert.ok(out.ok);
  assert.deepEqual(out.rows.map((x) => `${x.row} ${x.metric}`).sort(), ["random_init(tiny).pool neighbours.top1", "swav_tiny.pool neighbours.top1"]);
  for (const x of out.rows) {
    assert.equal(x.tolerance, 100);
    assert.ok(Math.abs(x.delta - (x.fresh - x.recorded)) < 1e-9, JSON.stringify(x));
  }
  assert.equal(out.rows.find((x) => x.row.startsWith("random_init"))!.delta, 0, "the random-init row does not involve torch: the same number");
  assert.ok(out.environment.includes("engine: tfjs -> torch"), out.environment.join("; "));
  assert.ok(out.environment.some((e) => /^torch: none -> \d+\.\d+/.test(e)), out.environment.join("; "));
});

test("a recipe pins a pretraining's engine: `engine = torch` runs it on torch without --engine; `engine = tfjs` keeps it on tfjs under --engine torch", (t) => {
  if (!needTorch(t)) return;
  type Plan = { engine: string; torch?: { version: string }; stages: { name: string; kind: string; engine: string }[] };
  const plan = (pin: string, args: string[]) => {
    const dir = project();
    const file = path.join(dir, "tiny.seer");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^( {2}seed +=) 0$/m, `$1 0\n  engine = ${pin}`));
    const r = seer(["plan", "tiny.seer", "--json", ...args], { cwd: dir, timeout: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Plan;
  };
  const torch = plan("torch", []);
  assert.equal(torch.stages.find((s) => s.kind === "pretrain-swav")?.engine, "torch");
  assert.match(torch.torch?.version ?? "", /^\d+\.\d+/, "the pin makes the plan find torch");
  const tfjs = plan("tfjs", ["--engine", "torch"]);
  assert.equal(tfjs.stages.find((s) => s.kind === "pretrain-swav")?.engine, "tfjs");
});
