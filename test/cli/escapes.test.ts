/** Issue #15: control characters from recipes reach the terminal as visible escapes, never raw (no cursor moves, colours or clears). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { printable } from "../../core/diagnostics/printable.js";
import { seer } from "../helpers/cli.js";

test("a recipe string with ESC and BEL is shown escaped in the diagnostic (exit 3), with no raw control character", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-escapes-"));
  writeFileSync(path.join(dir, "e.seer"), 'dataset d = image_folder { root = "\u001b[2Jgone\u0007" }\n');
  const r = seer(["run", "e.seer"], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /\\x1b\[2Jgone\\x07/);
  assert.doesNotMatch(r.stderr + r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  // A plan only warns about the data (SEER6005), escaped the same way.
  const plan = seer(["plan", "e.seer"], { cwd: dir });
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stderr, /\\x1b\[2Jgone\\x07/);
  assert.doesNotMatch(plan.stderr + plan.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
});

test("printable keeps newlines and tabs and escapes C0, DEL and C1 controls", () => {
  assert.equal(printable("a\tb\nc"), "a\tb\nc");
  assert.equal(printable("\u001b[31mred\r\u007f\u009b"), "\\x1b[31mred\\x0d\\x7f\\x9b");
});

test("a stage's log line naming a file with ESC in its name is shown escaped in the run's progress lines", async () => {
  const { default: sharp } = await import("sharp");
  const dir = mkdtempSync(path.join(tmpdir(), "seer-escapes-"));
  for (const c of ["cat", "dog"]) {
    mkdirSync(path.join(dir, "data", c), { recursive: true });
    for (let i = 0; i < 3; i++) await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 60 * i, g: c === "cat" ? 200 : 0, b: 0 } } }).png().toFile(path.join(dir, "data", c, `${i}.png`));
  }
  writeFileSync(path.join(dir, "data", "dog", "x\u001b[2J.png"), "not an image");
  writeFileSync(path.join(dir, "r.seer"), 'dataset photos = image_folder { root = "data"  splits { train = 50%  test = 50% } }\n');
  const r = seer(["run", "r.seer", "--only", "data/photos"], { cwd: dir, env: { CI: "1" } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /data\/photos: skipped 1 unreadable image\(s\): .*x\\x1b\[2J\.png/);
  assert.doesNotMatch(r.stderr + r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
});
