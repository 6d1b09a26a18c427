/**
 * Planning for real hardware (issue #16), end to end through the CLI: `seer plan` without the
 * data, `--hardware`, memory per device, refusing what cannot fit (SEER6005, SEER6006 goldens),
 * the documented hardware table, shipped recipes fmt-clean, and a long model build that stops
 * on SIGTERM.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HARDWARE, UTILISATION } from "../../contract/hardware.js";
import { seer } from "../helpers/cli.js";
import { assertGolden } from "../helpers/golden.js";
import { FIXTURES, ROOT, SEER_BIN } from "../helpers/paths.js";

const GOLDEN = path.join(FIXTURES, "plan");
const GiB = 2 ** 30;

/** A folder with the shipped SEER recipes and no data at all. */
function noData(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-plan-nodata-"));
  for (const f of ["seer-10b.seer", "seer-1.3b.seer", "paper-evals.seer"]) copyFileSync(path.join(ROOT, "recipes", f), path.join(dir, f));
  return dir;
}

interface PlanJson {
  hardware: string;
  stages: { name: string; kind: string; action: string; reasons: string[]; estimate: null | Record<string, unknown> & { memory: Record<string, number> } }[];
  totals: Record<string, number | string | null>;
  diagnostics: { code: string; severity: string; message: string }[];
}

test("plan of SEER-10B with no data on a100-40gb: exit 0, memory per device and wall time per stage in --json", () => {
  const dir = noData();
  try {
    const r = seer(["plan", "seer-10b.seer", "--hardware", "a100-40gb", "--json"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as PlanJson;
    assert.equal(plan.hardware, "a100-40gb");
    const pre = plan.stages.find((s) => s.kind === "pretrain-swav")!;
    const e = pre.estimate!;
    assert.equal(e["gpus"], 496);
    assert.equal(e["perDeviceBatch"], 16);
    assert.equal(e["precision"], "mixed");
    assert.equal(e["sharding"], "full");
    assert.equal(e["activationCheckpointing"], true);
    assert.equal(e["steps"], 126_008); // 1B images / 7936
    assert.equal(e["deviceMemoryBytes"], 40 * GiB);
    assert.equal(e["fits"], true);
    const mem = e.memory;
    assert.equal(mem["total"], e["memoryBytes"]);
    assert.ok(mem["total"]! > 8 * GiB && mem["total"]! < 40 * GiB, `per-device memory ${mem["total"]}`);
    assert.equal(mem["weights"], Math.ceil((9_628_923_288 * 4) / 496)); // trunk + head + prototypes, sharded
    const days = e["days"] as number;
    assert.ok(days > 2 && days < 40, `days ${days}`);
    assert.equal(e["gpuHours"], ((e["seconds"] as number) * 496) / 3600);
    // Every dataset is absent: a warning each, and the plan says so per stage.
    const absent = plan.diagnostics.filter((d) => d.code === "SEER6005");
    assert.equal(absent.length, 9);
    assert.ok(absent.every((d) => d.severity === "warning"));
    assert.match(absent.find((d) => d.message.includes("`uncurated`"))!.message, /its declared size \(1,000,000,000 images\)/);
    assert.deepEqual(plan.stages.find((s) => s.name === "data/uncurated")!.reasons, ["data not on this machine"]);
    assert.equal(plan.totals["hardware"], "a100-40gb");
    // The text form names the hardware and the days.
    const text = seer(["plan", "seer-10b.seer", "--hardware", "a100-40gb"], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /estimates for a100-40gb: NVIDIA A100 40GB \(SXM4\)/);
    assert.match(text.stdout, /pretrain\/seer_10b: 496 GPUs x 16 images, mixed, sharded, activation checkpointing; [\d.]+ GiB per device of 40\.0 GiB; 126,008 steps, .* about [\d.]+ days \([\d,]+ GPU-hours\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a missing dataset is warning SEER6005 in plan (golden), still SEER6001 and exit 3 in run", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-plan-absent-"));
  try {
    writeFileSync(
      path.join(dir, "absent.seer"),
      'dataset photos = image_folder { root = "photos"  labels = none  images = 12K }\ndataset listed = manifest { file = "listed.csv" }\n',
    );
    const plan = seer(["plan", "absent.seer", "--color", "never"], { cwd: dir });
    assert.equal(plan.code, 0, plan.stderr);
    assertGolden(path.join(GOLDEN, "absent-data.stderr.txt"), plan.stderr.split(dir).join("<tmp>"));
    const run = seer(["run", "absent.seer", "--color", "never"], { cwd: dir });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /error\[SEER6001\]: The dataset `photos` cannot be read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("SEER-10B with gpus = 1 is refused with numbers (SEER6006, exit 3; golden), and a run is refused before anything runs", () => {
  const dir = noData();
  try {
    const recipe = readFileSync(path.join(dir, "seer-10b.seer"), "utf8").replace(/gpus(\s+)= 496/, "gpus$1= 1");
    writeFileSync(path.join(dir, "one.seer"), recipe);
    const r = seer(["plan", "one.seer", "--hardware", "a100-40gb", "--color", "never"], { cwd: dir });
    assert.equal(r.code, 3);
    const err = r.stderr.slice(r.stderr.indexOf("error[SEER6006]"));
    assertGolden(path.join(GOLDEN, "does-not-fit.stderr.txt"), err);
    assert.match(err, /needs about 4\.2 TiB per device on `a100-40gb`, which has 40\.0 GiB/);
    assert.match(err, /weights 35\.9 GiB, gradients 35\.9 GiB, optimizer state 35\.9 GiB/);
    assert.match(err, /help: it would fit with any one of: `gpus = \d+`/);
    const json = JSON.parse(seer(["plan", "one.seer", "--hardware", "a100-40gb", "--json"], { cwd: dir }).stdout) as PlanJson;
    assert.equal(json.stages.find((s) => s.kind === "pretrain-swav")!.estimate!["fits"], false);
    assert.ok(json.diagnostics.some((d) => d.code === "SEER6006" && d.severity === "error"));

    // Without checkpointing the 1.3B model does not fit a V100-32GB either; the help says what would.
    const noCkpt = readFileSync(path.join(dir, "seer-1.3b.seer"), "utf8").replace("activation_checkpointing = true", "activation_checkpointing = false");
    writeFileSync(path.join(dir, "noc.seer"), noCkpt);
    const v = seer(["plan", "noc.seer", "--hardware", "v100-32gb", "--color", "never"], { cwd: dir });
    assert.equal(v.code, 3);
    assert.match(v.stderr, /`activation_checkpointing = true` \([\d.]+ GiB\)/);
    assert.match(v.stderr, /`sharding = full` \([\d.]+ GiB per device\)/);
    assert.match(v.stderr, /`--hardware a100-40gb`/);

    // `seer run` on this CPU with stub data: the 10B trunk is refused before any stage starts.
    const stub = `${recipe.replace(/dataset uncurated = image_folder \{[^}]*\}/, "dataset uncurated = synthetic { images = 64 }").replace(/import[^\n]*\n/, "").replace(/suite[\s\S]*$/, "")}`;
    writeFileSync(path.join(dir, "stub.seer"), stub);
    const run = seer(["run", "stub.seer", "--color", "never"], { cwd: dir });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /error\[SEER6006\]: The stage `pretrain\/seer_10b` needs about [\d.]+ TiB per device on `cpu`/);
    assert.equal(existsSync(path.join(dir, "runs")), false, "nothing ran");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unknown --hardware is a usage error (exit 2) listing the valid choices", () => {
  const r = seer(["plan", path.join(ROOT, "recipes", "quickstart.seer"), "--hardware", "tpu-v4"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /`--hardware tpu-v4` is not an accelerator seer knows/);
  assert.match(r.stderr, /v100-32gb, a100-40gb, a100-80gb, h100-80gb, h200-141gb, cpu/);
  const run = seer(["run", path.join(ROOT, "recipes", "quickstart.seer"), "--hardware", "a100"]);
  assert.equal(run.code, 2);
});

test("docs/cost-model.md states the hardware table's numbers and the utilisation factor", () => {
  const doc = readFileSync(path.join(ROOT, "docs", "cost-model.md"), "utf8");
  const tf = (n: number) => `${Number((n / 1e12).toFixed(1))} TFLOP/s`;
  for (const h of HARDWARE) {
    const row = doc.split("\n").find((l) => l.startsWith(`| \`${h.name}\` |`));
    assert.ok(row, `no row for ${h.name}`);
    assert.ok(row.includes(h.label), `${h.name}: label`);
    if (h.memoryBytes !== null) assert.ok(row.includes(`${h.memoryBytes / GiB} GiB`), `${h.name}: memory`);
    if (h.peak) {
      assert.ok(row.includes(tf(h.peak.fp32)), `${h.name}: fp32`);
      assert.ok(row.includes(tf(h.peak.half)), `${h.name}: half`);
      assert.ok(h.peak.tf32 === null ? row.includes("| none |") : row.includes(tf(h.peak.tf32)), `${h.name}: tf32`);
    }
  }
  assert.ok(doc.includes(`## The utilisation factor: ${UTILISATION * 100}%`));
});

test("every shipped recipe is fmt-clean and checks clean", () => {
  const fmt = seer(["fmt", "--check", path.join(ROOT, "recipes")]);
  assert.equal(fmt.code, 0, fmt.stdout + fmt.stderr);
  const check = seer(["check", path.join(ROOT, "recipes")]);
  assert.equal(check.code, 0, check.stderr);
  assert.doesNotMatch(check.stderr, /warning/);
});

test("a long model build stops on SIGTERM within a second (exit 130)", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-build-sigterm-"));
  try {
    // About 144M parameters: drawing their initial values takes several seconds here.
    writeFileSync(
      path.join(dir, "wide.seer"),
      [
        "dataset shapes = synthetic { images = 64  size = 32px }",
        "model wide = regnet { family = Y  depth = 12  w0 = 1024  wa = 0  wm = 2  group_width = 1024 }",
        "pretrain p = swav {",
        "  model = wide  data = shapes  batch = 8 images  duration = 1 epochs",
        "  crops = [crop { count = 2  size = 32px  scale = 0.5..1.0 }]",
        "}",
        "",
      ].join("\n"),
    );
    const child = spawn(process.execPath, [SEER_BIN, "run", "wide.seer"], { cwd: dir, env: { ...process.env, SEER_PROGRESS: "plain", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const building = () => {
      const runs = path.join(dir, "runs");
      if (!existsSync(runs)) return false;
      return readdirSync(runs).some((r) => {
        const log = path.join(runs, r, "logs", "pretrain", "p.log");
        return existsSync(log) && readFileSync(log, "utf8").includes("building the model");
      });
    };
    const deadline = Date.now() + 60_000;
    while (!building()) {
      assert.ok(Date.now() < deadline, `the build never started: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500)); // well into drawing the weights
    const sent = Date.now();
    child.kill("SIGTERM");
    const code = await exited;
    const ms = Date.now() - sent;
    assert.equal(code, 130, stderr);
    assert.ok(ms < 1000, `stopped ${ms} ms after SIGTERM`);
    assert.match(stderr, /cancelled while building the model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("plan (and graph's drawings) show the numbers a researcher checks by eye: steps per epoch, total and warmup steps, images seen, per-device batch, the scaled learning rate", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-plan-facts-"));
  copyFileSync(path.join(ROOT, "recipes", "quickstart.seer"), path.join(dir, "quickstart.seer"));
  const json = seer(["plan", "quickstart.seer", "--json"], { cwd: dir });
  assert.equal(json.code, 0, json.stderr);
  const stages = (JSON.parse(json.stdout) as { stages: { name: string; estimate: { schedule: unknown } | null }[] }).stages;
  assert.deepEqual(stages.find((s) => s.name === "pretrain/swav_tiny")?.estimate?.schedule, {
    images: 3200, batch: 64, per_device_batch: 64, steps_per_epoch: 50, total_steps: 2000, warmup_steps: 50, images_seen: 128000, peak_lr: 0.15, warmup_from_lr: 0,
  });
  const text = seer(["plan", "quickstart.seer"], { cwd: dir });
  assert.match(text.stdout, /3,200 images \/ batch 64 \(64 per device\) = 50 steps per epoch; 2,000 steps \(warmup 50\), 128,000 images seen; peak lr 0\.15 \(0\.6 per 256 images\)/);
  for (const format of ["dot", "mermaid"]) {
    const g = seer(["graph", "quickstart.seer", "--format", format], { cwd: dir });
    assert.match(g.stdout, /pretrain\/swav_tiny[\s\S]*2,000 steps \(warmup 50\), 128,000 images seen, peak lr 0\.15/, format);
  }
  const big = seer(["plan", path.join(ROOT, "recipes", "seer-10b.seer"), "--hardware", "a100-40gb"], { cwd: dir });
  assert.match(big.stdout, /batch 7,936 \(16 per device\) = 126,008 steps per epoch; 126,008 steps \(warmup 5,500\), 999,999,488 images seen; peak lr 9\.3 \(0\.3 per 256 images\), warmup from 0\.15/);
});
