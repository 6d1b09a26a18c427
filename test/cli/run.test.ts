/**
 * `seer run`, `plan`, `why`, `runs`, `diff` and `reproduce` end to end on a tiny recipe
 * (320 synthetic images, a few SwAV steps): the JSON summary contract, the stage cache,
 * precise rerun reasons, the project lock, a SIGKILL during pretraining and the resume.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { holdLock } from "../helpers/lock-holder.js";
import { ROOT, SEER_BIN } from "../helpers/paths.js";

const RECIPE = path.join(ROOT, "test", "fixtures", "run", "tiny.seer");

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-run-"));
  copyFileSync(RECIPE, path.join(dir, "tiny.seer"));
  return dir;
}

interface Summary {
  run_id: string;
  run_dir: string;
  stages: { id: string; name: string; kind: string; status: string; host: string; seconds: number; output_digest: string | null }[];
  metrics: Record<string, Record<string, Record<string, number>>>;
  report: string | null;
  diagnostics: unknown[];
}

function run(dir: string, extra: string[] = []): Summary {
  const r = seer(["run", "tiny.seer", "--json", ...extra], { cwd: dir, timeout: 600_000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Summary;
}

const status = (s: Summary) => Object.fromEntries(s.stages.map((x) => [x.name, x.status]));

test("run: every stage runs, the summary follows the contract, a rerun is all cached, one eval field reruns only that eval and the report", () => {
  const dir = project();
  const first = run(dir);
  assert.deepEqual(Object.keys(first), ["run_id", "run_dir", "stages", "metrics", "report", "diagnostics"]);
  assert.deepEqual(first.diagnostics, []);
  assert.equal(first.stages.length, 19);
  for (const s of first.stages) {
    assert.equal(s.status, "ran", s.name);
    assert.equal(s.host, "local");
    assert.match(s.output_digest ?? "", /^sha256:[0-9a-f]{64}$/);
  }
  const q = first.metrics["quickstart"]!;
  // Issue #15: rows and evals in the suite's order (as declared), in --json and in the record alike.
  assert.deepEqual(Object.keys(q), ["swav_tiny.pool", "random_init(tiny).pool"]);
  assert.deepEqual([...new Set(Object.keys(q["swav_tiny.pool"]!).map((m) => m.split(".")[0]))], ["linear", "neighbours", "fair", "shift"]);
  const recorded = JSON.parse(readFileSync(path.join(dir, first.run_dir, "record.json"), "utf8")) as { metrics: Summary["metrics"] };
  assert.equal(JSON.stringify(recorded.metrics), JSON.stringify(first.metrics));
  for (const row of Object.values(q)) {
    for (const m of ["linear.top1", "linear.top5", "neighbours.top1", "fair.group.gap", "fair.group.worst", "shift.shapes_shifted.top1", "shift.shapes_shifted.drop"]) assert.equal(typeof row[m], "number", m);
    assert.ok(row["linear.top1"]! >= 0 && row["linear.top1"]! <= 100);
  }
  assert.ok(first.report && existsSync(path.join(dir, first.report)));
  const record = JSON.parse(readFileSync(path.join(dir, first.run_dir, "record.json"), "utf8")) as { metrics: unknown; stages: unknown[]; recipe: { sources: { path: string }[] } };
  assert.deepEqual(record.metrics, first.metrics);
  assert.deepEqual(record.recipe.sources.map((s) => s.path), ["tiny.seer"]);
  assert.ok(existsSync(path.join(dir, first.run_dir, "record.yaml")));

  const second = run(dir);
  assert.ok(second.stages.every((s) => s.status === "cached"), JSON.stringify(status(second)));
  assert.deepEqual(second.metrics, first.metrics);
  assert.deepEqual(second.stages.map((s) => s.output_digest), first.stages.map((s) => s.output_digest));

  // Change one field of one eval: plan says exactly what reruns and why.
  writeFileSync(path.join(dir, "tiny.seer"), readFileSync(path.join(dir, "tiny.seer"), "utf8").replace("k     = 20", "k     = 10"));
  const plan = seer(["plan", "tiny.seer", "--json"], { cwd: dir });
  assert.equal(plan.code, 0, plan.stderr);
  const decisions = (JSON.parse(plan.stdout) as { stages: { name: string; action: string; reasons: string[] }[] }).stages;
  const toRun = decisions.filter((d) => d.action === "run");
  assert.deepEqual(toRun.map((d) => d.name).sort(), ["eval/quickstart/random_init(tiny).pool/neighbours", "eval/quickstart/swav_tiny.pool/neighbours", "report/summary"]);
  assert.deepEqual(toRun.find((d) => d.name.endsWith("swav_tiny.pool/neighbours"))!.reasons, ["config changed: /k"]);
  const why = seer(["why", "tiny.seer", "eval/quickstart/swav_tiny.pool/neighbours"], { cwd: dir });
  assert.match(why.stdout, /would RUN\n  - config changed: \/k\n/);
  const third = run(dir);
  assert.deepEqual(third.stages.filter((s) => s.status === "ran").map((s) => s.name).sort(), toRun.map((d) => d.name).sort());

  // Records: list and diff.
  const runs = seer(["runs", "--json"], { cwd: dir });
  assert.equal(runs.code, 0, runs.stderr);
  const listed = (JSON.parse(runs.stdout) as { runs: { headline: { row: string; metric: string }[] }[] }).runs;
  assert.equal(listed.length, 3);
  // The headline is the suite's first metric of each row, as documented (issue #16: it was alphabetical).
  assert.deepEqual(listed[0]!.headline.map((h) => `${h.metric} (${h.row})`), ["linear.top1 (swav_tiny.pool)", "linear.top1 (random_init(tiny).pool)"]);
  const diff = seer(["diff", first.run_id, third.run_id, "--format", "json"], { cwd: dir });
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /\/k\b/);

  // Issue #15: a reproduction never writes over the project's own (edited) recipe: --workdir must be new or empty.
  const edited = `${readFileSync(path.join(dir, "tiny.seer"), "utf8")}// edited after the run\n`;
  writeFileSync(path.join(dir, "tiny.seer"), edited);
  for (const workdir of [".", "tiny.seer"]) {
    const refused = seer(["reproduce", path.join(third.run_dir, "record.json"), "--workdir", workdir], { cwd: dir });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, workdir === "." ? /is not empty \(it holds .*tiny\.seer/ : /is a file, not a folder/);
  }
  assert.equal(readFileSync(path.join(dir, "tiny.seer"), "utf8"), edited, "the user's edits are kept");

  // Reproduce the last run from scratch with tolerance 0.
  const rep = seer(["reproduce", path.join(third.run_dir, "record.json"), "--tolerance", "0"], { cwd: dir });
  assert.equal(rep.code, 0, rep.stdout + rep.stderr);
  assert.match(rep.stdout, /within tolerance/);
});

test("run: a corrupt published output is detected and recomputed", () => {
  const dir = project();
  const first = run(dir, ["--only", "data/shapes"]);
  assert.equal(status(first)["data/shapes"], "ran");
  const stageDir = path.join(dir, ".seer", "stages", first.stages.find((s) => s.name === "data/shapes")!.id);
  writeFileSync(path.join(stageDir, "dataset.json"), "{\"truncated\":");
  const plan = seer(["why", "tiny.seer", "data/shapes"], { cwd: dir });
  assert.match(plan.stdout, /output corrupt: dataset.json/);
  const again = run(dir, ["--only", "data/shapes"]);
  assert.equal(status(again)["data/shapes"], "ran");
  assert.equal(status(again)["report/summary"], "skipped");
});

test("run: a second run (or pretrain) on the same project is refused while the first holds the lock; a killed holder's lock is taken over", async () => {
  const dir = project();
  const lock = path.join(dir, ".seer", "lock");
  const holder = await holdLock(lock);
  try {
    for (const args of [["run", "tiny.seer", "--only", "data/shapes"], ["pretrain", "tiny.seer", "swav_tiny"]]) {
      const r = seer(args, { cwd: dir });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, new RegExp(`another seer run \\(pid ${holder.pid} on .+, started \\d{4}-\\d\\d-\\d\\d .+ UTC\\) is using this project`));
    }
  } finally {
    holder.kill("SIGKILL");
  }
  await new Promise((r) => holder.once("exit", r));
  const r = seer(["run", "tiny.seer", "--only", "data/shapes"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`took over a stale project lock \\(pid ${holder.pid} on `));
  assert.equal(existsSync(lock), false, "released");
});

test("run: missing data is reported at the dataset before anything runs (a plan only warns: it can be made without the data)", () => {
  const dir = project();
  writeFileSync(path.join(dir, "bad.seer"), 'dataset photos = image_folder { root = "no/such/folder" }\n');
  const r = seer(["run", "bad.seer"], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /SEER6001/);
  assert.match(r.stderr, /bad.seer:1:/);
  assert.equal(existsSync(path.join(dir, "runs")), false, "nothing ran");
  const plan = seer(["plan", "bad.seer"], { cwd: dir });
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stderr, /warning\[SEER6005\]: The dataset `photos` cannot be read here/);
});

test("run: SIGKILL during pretraining, then a rerun resumes from the checkpoint and ends with the uninterrupted run's metrics", async () => {
  const set = ["--set", "pretrain_epochs=8"];
  const reference = run(project(), set);
  const dir = project();
  const child = spawn(process.execPath, [SEER_BIN, "run", "tiny.seer", ...set], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (/step (8|12|16)\/32: loss [0-9.]+, checkpoint saved/.test(err)) {
        child.kill("SIGKILL");
        resolve();
      }
    });
    child.on("exit", () => reject(new Error(`seer run ended before it could be killed:\n${err}`)));
  });
  await new Promise((r) => child.once("exit", r));
  const resumed = seer(["run", "tiny.seer", "--json", ...set], { cwd: dir, timeout: 600_000 });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resumed from .* at step (8|12|16|20)/);
  const s = JSON.parse(resumed.stdout) as Summary;
  assert.equal(status(s)["data/shapes"], "cached");
  assert.deepEqual(s.metrics, reference.metrics);
  assert.deepEqual(readdirSync(path.join(dir, ".seer", "tmp")).length >= 0, true);
});

test("run: an imported dataset's relative root starts at the importing module's folder, in plan and run", async () => {
  const sharp = (await import("sharp")).default;
  const dir = mkdtempSync(path.join(tmpdir(), "seer-run-import-"));
  for (const [c, colour] of [["red", [220, 40, 40]], ["blue", [40, 40, 220]]] as const) {
    mkdirSync(path.join(dir, "lib", "images", c), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const px = Buffer.alloc(16 * 16 * 3);
      for (let o = 0; o < px.length; o += 3) [px[o], px[o + 1], px[o + 2]] = [colour[0] + i * 5, colour[1] + ((o / 3) % 16), colour[2]];
      await sharp(px, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(path.join(dir, "lib", "images", c, `${i}.png`));
    }
  }
  writeFileSync(path.join(dir, "lib", "data.seer"), 'dataset photos = image_folder { root = "images"  splits { train = 50%  test = 50% } }\n');
  writeFileSync(
    path.join(dir, "main.seer"),
    [
      'import "lib/data.seer" as lib',
      "model m = regnet { family = Y  depth = 2  w0 = 8  wa = 8.0  wm = 2.0  group_width = 8  bottleneck = 1.0  se_ratio = 0.25 }",
      "eval nn = knn { train = lib.photos.train  test = lib.photos.test  k = 3 }",
      "suite s { features = [random_init(m).pool]  evals = [nn] }",
      "",
    ].join("\n"),
  );
  const plan = seer(["plan", "main.seer"], { cwd: dir });
  assert.equal(plan.code, 0, plan.stderr);
  const r = seer(["run", "main.seer", "--json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Summary;
  assert.equal(typeof s.metrics["s"]?.["random_init(m).pool"]?.["nn.top1"], "number");
});
