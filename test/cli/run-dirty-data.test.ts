/**
 * Dirty image folders under `seer plan` and `seer run`: symbolic links that loop or repeat
 * images are not followed and are reported (SEER6004); images that cannot be decoded are
 * replaced by the next image and reported per stage, in the output and in the run record,
 * cached runs included, and a pretraining reports them in one format on either engine.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { seer } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";
import { torchPython } from "../helpers/torch.js";

const RECIPE = path.join(ROOT, "test", "fixtures", "run", "folder-knn.seer");

/** A project with the recipe and `images/{red,blue}/0..n-1.png` (16x16). */
async function project(n: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-dirty-"));
  copyFileSync(RECIPE, path.join(dir, "folder-knn.seer"));
  for (const [c, colour] of [["red", [220, 40, 40]], ["blue", [40, 40, 220]]] as const) {
    mkdirSync(path.join(dir, "images", c), { recursive: true });
    for (let i = 0; i < n; i++) {
      const px = Buffer.alloc(16 * 16 * 3);
      for (let o = 0; o < px.length; o += 3) [px[o], px[o + 1], px[o + 2]] = [colour[0] + i, colour[1] + ((o / 3) % 16), colour[2]];
      await sharp(px, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(path.join(dir, "images", c, `${i}.png`));
    }
  }
  return dir;
}

interface JsonDiag {
  code: string;
  severity: string;
  message: string;
  notes: string[];
}

test("plan and run: loop links in an image folder are not followed, plan quickly, count only the real images and are reported", async () => {
  const dir = await project(30);
  symlinkSync("..", path.join(dir, "images", "red", "up"));
  symlinkSync("..", path.join(dir, "images", "blue", "up"));
  const t0 = performance.now();
  const plan = seer(["plan", "folder-knn.seer"], { cwd: dir });
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(plan.code, 0, plan.stderr);
  assert.ok(seconds < 30, `plan took ${seconds.toFixed(1)} s`);
  assert.match(plan.stderr, /warning\[SEER6004\]: Symbolic links in the dataset `photos` were not followed \(2\)/);
  assert.match(plan.stderr, /note: blue\/up -> .*images: a loop back to the dataset root, which holds the link/);
  assert.match(plan.stderr, /note: red\/up -> /);

  const json = seer(["plan", "folder-knn.seer", "--json"], { cwd: dir });
  const diags = (JSON.parse(json.stdout) as { diagnostics: JsonDiag[] }).diagnostics;
  assert.deepEqual(diags.map((d) => [d.code, d.severity, d.notes.length]), [["SEER6004", "warning", 2]]);

  const run = seer(["run", "folder-knn.seer", "--only", "data/photos", "--json"], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  const s = JSON.parse(run.stdout) as { stages: { id: string; name: string }[]; diagnostics: JsonDiag[] };
  assert.deepEqual(s.diagnostics.map((d) => d.code), ["SEER6004"]);
  const data = s.stages.find((x) => x.name === "data/photos")!;
  const summary = JSON.parse(readFileSync(path.join(dir, ".seer", "stages", data.id, "dataset.json"), "utf8")) as { images: number; splits: Record<string, number>; links: { path: string; reason: string }[] };
  assert.equal(summary.images, 60);
  assert.equal(summary.splits["train"]! + summary.splits["test"]!, 60);
  assert.deepEqual(summary.links.map((l) => [path.relative(dir, l.path), l.reason]), [["images/blue/up", "loop"], ["images/red/up", "loop"]]);
});

interface RunJson {
  run_dir: string;
  stages: { name: string; status: string; unreadable?: { count: number; files: { path: string; reason: string }[] } }[];
  metrics: Record<string, Record<string, Record<string, number>>>;
}

test("run: an image that passes the header check but cannot be decoded is replaced, reported per stage and recorded, cached runs too", async () => {
  const dir = await project(6);
  // A valid PNG cut in half: its header reads, its pixels do not.
  const file = path.join(dir, "images", "red", "3.png");
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, bytes.length >> 1));

  for (const pass of ["ran", "cached"]) {
    const r = seer(["run", "folder-knn.seer", "--json"], { cwd: dir, timeout: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as RunJson;
    assert.ok(s.stages.every((x) => x.status === pass), `${pass}: ${s.stages.map((x) => `${x.name}=${x.status}`).join(", ")}`);
    assert.equal(typeof s.metrics["s"]?.["random_init(m).pool"]?.["nn.top1"], "number");
    const hit = s.stages.filter((x) => x.unreadable);
    assert.equal(hit.length, 1, `${pass}: one features stage read the split holding red/3.png`);
    const stage = hit[0]!;
    assert.match(stage.name, /^features\/random_init\(m\)\.pool\/photos\.(train|test)$/);
    assert.equal(stage.unreadable!.count, 1);
    assert.deepEqual(stage.unreadable!.files.map((f) => f.path), ["red/3.png"]);
    assert.match(stage.unreadable!.files[0]!.reason, /end of stream|truncat|premature/i);
    const line = `warning: ${stage.name}: 1 image could not be read and was replaced by the next image: red/3.png (${stage.unreadable!.files[0]!.reason})`;
    assert.ok(r.stderr.includes(line), `${pass}: stderr lacks "${line}":\n${r.stderr}`);
    const record = JSON.parse(readFileSync(path.join(dir, s.run_dir, "record.json"), "utf8")) as RunJson;
    assert.deepEqual(record.stages.find((x) => x.name === stage.name)!.unreadable, stage.unreadable);
    assert.equal(record.stages.filter((x) => x.unreadable).length, 1);
  }
});

test("pretraining on either engine replaces an unreadable image, publishes it in one format and records it", { timeout: 900_000 }, async (t) => {
  const py = torchPython();
  const engines = typeof py === "string" ? ["tfjs", "torch"] : ["tfjs"];
  if (typeof py !== "string") t.diagnostic(`torch engine not checked: ${py.reason}`);
  const published: unknown[] = [];
  for (const engine of engines) {
    const dir = await project(6);
    copyFileSync(path.join(ROOT, "test", "fixtures", "run", "folder-swav.seer"), path.join(dir, "folder-swav.seer"));
    const file = path.join(dir, "images", "blue", "2.png");
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    const r = seer(["run", "folder-swav.seer", "--engine", engine, "--json"], { cwd: dir, timeout: 600_000, env: typeof py === "string" ? { SEER_PYTHON: py } : {} });
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const s = JSON.parse(r.stdout) as { run_dir: string; stages: (RunJson["stages"][number] & { id: string })[] };
    const pre = s.stages.find((x) => x.name === "pretrain/swav_small")!;
    assert.equal(pre.unreadable?.count, 1, engine);
    assert.deepEqual(pre.unreadable!.files.map((f) => f.path), ["blue/2.png"], engine);
    assert.match(r.stderr, /warning: pretrain\/swav_small: 1 image could not be read and was replaced by the next image: blue\/2\.png \(.+\)/);
    const out = JSON.parse(readFileSync(path.join(dir, ".seer", "stages", pre.id, "unreadable.json"), "utf8")) as { count: number; files: { path: string; reason: string }[] };
    assert.deepEqual(out, pre.unreadable);
    const record = JSON.parse(readFileSync(path.join(dir, s.run_dir, "record.json"), "utf8")) as RunJson;
    assert.deepEqual(record.stages.find((x) => x.name === "pretrain/swav_small")!.unreadable, pre.unreadable);
    // One format from both engines: the same keys and paths (the reason is each decoder's own message).
    published.push({ count: out.count, files: out.files.map((f) => ({ path: f.path, reason: typeof f.reason })) });
  }
  if (published.length === 2) assert.deepEqual(published[0], published[1]);
});
