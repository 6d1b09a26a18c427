/**
 * A fairness evaluation over a `manifest` dataset under `seer run`: real PNG files and a CSV
 * manifest with an `income` column, a trunk with random weights, a linear probe, and the
 * probe's accuracy per income group in the summary.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { seer } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

const RECIPE = path.join(ROOT, "test", "fixtures", "run", "manifest-fairness.seer");
const CLASSES = ["blue", "green", "red"];
const SIZE = 32;
const PER_CLASS = 12;

/** A 32x32 picture of a class's colour with deterministic noise. */
function pixels(cls: number, i: number): Buffer {
  const px = Buffer.alloc(SIZE * SIZE * 3);
  for (let p = 0; p < SIZE * SIZE; p++) {
    for (let c = 0; c < 3; c++) {
      const noise = Math.floor(Math.abs(Math.sin((i + 1) * 12.9898 + p * 78.233 + c * 37.719) * 43758.5453) % 1 * 96);
      px[p * 3 + c] = (c === 2 - cls ? 150 : 20) + noise;
    }
  }
  return px;
}

/**
 * street/: PER_CLASS images of each class; every third image is a test image; incomes alternate.
 * The red test images of `high` income are painted blue, so the probe gets them wrong: the
 * `high` group must come out worse than the `low` one.
 */
async function project(): Promise<{ dir: string; rows: { label: string; income: string; split: string }[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-fairness-"));
  copyFileSync(RECIPE, path.join(dir, "manifest-fairness.seer"));
  mkdirSync(path.join(dir, "street", "img"), { recursive: true });
  const rows: { file: string; label: string; income: string; split: string }[] = [];
  for (let cls = 0; cls < CLASSES.length; cls++) {
    for (let k = 0; k < PER_CLASS; k++) {
      const i = cls * PER_CLASS + k;
      const file = `img/${CLASSES[cls]}-${k}.png`;
      const income = Math.floor(k / 3) % 2 === 0 ? "low" : "high";
      const split = k % 3 === 0 ? "test" : "train";
      const painted = CLASSES[cls] === "red" && income === "high" && split === "test" ? CLASSES.indexOf("blue") : cls;
      await sharp(pixels(painted, i), { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(path.join(dir, "street", file));
      rows.push({ file, label: CLASSES[cls]!, income, split });
    }
  }
  writeFileSync(path.join(dir, "street", "images.csv"), `path,label,income,split\n${rows.map((r) => `${r.file},${r.label},${r.income},${r.split}`).join("\n")}\n`);
  return { dir, rows };
}

test("run: a fairness eval over a manifest reports the probe's accuracy per value of the manifest's attribute column", async (t) => {
  const { dir, rows } = await project();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tests = rows.filter((r) => r.split === "test");
  assert.deepEqual([...new Set(tests.map((r) => r.income))].sort(), ["high", "low"], "both incomes are in the test split");

  const r = seer(["run", "manifest-fairness.seer", "--json"], { cwd: dir, timeout: 300_000 });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { stages: { name: string; status: string }[]; metrics: Record<string, Record<string, Record<string, number>>> };
  for (const s of summary.stages) assert.equal(s.status, "ran", s.name);
  const row = summary.metrics["street_fairness"]?.["random_init(tiny).pool"];
  assert.ok(row, JSON.stringify(summary.metrics));
  assert.equal(typeof row["linear.top1"], "number");

  // One accuracy per income group (named by the manifest's values), the gap between the best and
  // the worst, and the worst.
  const groups = Object.keys(row).filter((k) => k.startsWith("fair.income.") && !["fair.income.gap", "fair.income.worst"].includes(k)).sort();
  assert.deepEqual(groups, ["fair.income.high", "fair.income.low"], JSON.stringify(row));
  const [high, low] = groups.map((k) => row[k]!);
  // 6 test images per income, so each accuracy is k/6; 2 of the 6 `high` ones are painted as another class.
  for (const v of [high!, low!]) assert.ok(v >= 0 && v <= 100 && Math.abs((v * 6) / 100 - Math.round((v * 6) / 100)) < 1e-9, `${v}% is not k/6`);
  assert.ok(high! <= (100 * 4) / 6 + 1e-9, `high ${high}`);
  assert.ok(low! > high!, `low ${low} vs high ${high}`);
  assert.equal(row["fair.income.gap"], low! - high!);
  assert.equal(row["fair.income.worst"], high);
});
