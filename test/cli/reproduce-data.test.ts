/**
 * Issue #16, reproduce anywhere: a run over an image folder outside the recipe's folder is
 * reproduced from a fresh project (the record says where the data lay), only its recorded
 * `--only` selection is rerun, data that changed since is refused (exit 3, saying which dataset
 * and where), and `--data NAME=PATH` points at a copy of the recorded data.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { seer } from "../helpers/cli.js";

const RECIPE = `dataset photos = image_folder { root = "../outside-data/photos"  splits { train = 50%  test = 50% } }
model m = regnet { family = Y  depth = 2  w0 = 8  wa = 8.0  wm = 2.0  group_width = 8 }
eval nn = knn { train = photos.train  test = photos.test  k = 3 }
suite s {
  features = [random_init(m).pool]
  evals    = [nn]
}
report summary = table { suite = s }
`;

async function images(dir: string): Promise<void> {
  for (const [c, colour] of [["red", [220, 40, 40]], ["blue", [40, 40, 220]]] as const) {
    mkdirSync(path.join(dir, c), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const px = Buffer.alloc(16 * 16 * 3);
      for (let o = 0; o < px.length; o += 3) [px[o], px[o + 1], px[o + 2]] = [colour[0] + i, colour[1] + ((o / 3) % 16), colour[2]];
      await sharp(px, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(path.join(dir, c, `${i}.png`));
    }
  }
}

test("reproduce: data outside the recipe's folder is found, the --only selection is kept, changed data is refused, --data points at a copy", async () => {
  const top = mkdtempSync(path.join(tmpdir(), "seer-repro-data-"));
  const photos = path.join(top, "outside-data", "photos");
  await images(photos);
  const project = path.join(top, "project");
  mkdirSync(project);
  writeFileSync(path.join(project, "r.seer"), RECIPE);
  const first = seer(["run", "r.seer", "--json", "--only", "eval/s/random_init(m).pool/nn"], { cwd: project });
  assert.equal(first.code, 0, first.stderr);
  const runDir = (JSON.parse(first.stdout) as { run_dir: string }).run_dir;
  const record = path.join(project, runDir, "record.json");
  const recorded = JSON.parse(readFileSync(record, "utf8")) as { datasets: { name: string; location: string; images: number }[] };
  assert.deepEqual(recorded.datasets.map((d) => [d.name, d.location, d.images]), [["photos", photos, 12]]);

  const elsewhere = mkdtempSync(path.join(tmpdir(), "seer-repro-cwd-"));
  const ok = seer(["reproduce", record, "--tolerance", "0", "--json"], { cwd: elsewhere });
  assert.equal(ok.code, 0, ok.stderr);
  const rerun = JSON.parse(readFileSync(path.join((JSON.parse(ok.stdout) as { rerun: string }).rerun, "record.json"), "utf8")) as { stages: { name: string; status: string }[] };
  assert.equal(rerun.stages.find((s) => s.name === "report/summary")?.status, "skipped", "the report was not in the recorded selection");
  assert.equal(rerun.stages.find((s) => s.name === "eval/s/random_init(m).pool/nn")?.status, "ran");

  // A copy of the data, then one image of the original changes.
  const copy = path.join(top, "copy");
  assert.equal(spawnSync("cp", ["-a", photos, copy]).status, 0); // keeps file times, which the fingerprint includes (no content_hash)
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 255, b: 0 } } }).png().toFile(path.join(photos, "red", "3.png"));
  const refused = seer(["reproduce", record], { cwd: elsewhere });
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, new RegExp(`the data of dataset photos at ${photos.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not what the recorded run read: fingerprint sha256:[0-9a-f]+ \\(12 images\\), recorded sha256:`));
  assert.match(refused.stderr, /--data photos=PATH\); this dataset's fingerprint includes file times/);

  const fromCopy = seer(["reproduce", record, "--tolerance", "0", "--data", `photos=${copy}`], { cwd: elsewhere });
  assert.equal(fromCopy.code, 0, fromCopy.stderr);
  const badName = seer(["reproduce", record, "--data", "pics=/x"], { cwd: elsewhere });
  assert.equal(badName.code, 2, badName.stderr);
  assert.match(badName.stderr, /the recipe has no dataset named pics[\s\S]*datasets: photos/);
});
