/** Issue #15: `seer fmt` rewrites a symlink's target (the link stays), keeps a file's mode, and leaves a file that is not UTF-8 alone, saying so (exit 1). Issue #16: the shipped recipes are fmt-clean. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

const UGLY = "model   m = regnet {family=Y depth=13 w0=24 wa=36.44 wm=2.49 group_width=8}\n";

test("seer fmt through a symlink formats the target and keeps the link; the file keeps mode 600", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-fmt-files-"));
  const target = path.join(dir, "real.seer");
  writeFileSync(target, UGLY);
  chmodSync(target, 0o600);
  symlinkSync("real.seer", path.join(dir, "link.seer"));
  const r = seer(["fmt", "link.seer"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(path.join(dir, "link.seer")).isSymbolicLink(), "the link is still a link");
  assert.notEqual(readFileSync(target, "utf8"), UGLY, "the target is formatted");
  assert.equal(statSync(target).mode & 0o777, 0o600);
  assert.equal(seer(["fmt", "--check", "real.seer"], { cwd: dir }).code, 0);
});

test("seer fmt leaves a Latin-1 file unchanged and says it is not UTF-8 (exit 1)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-fmt-latin1-"));
  const file = path.join(dir, "latin1.seer");
  const bytes = Buffer.concat([Buffer.from("// caf"), Buffer.from([0xe9]), Buffer.from("\n" + UGLY)]);
  writeFileSync(file, bytes);
  const r = seer(["fmt", "latin1.seer"], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /latin1\.seer is not valid UTF-8 .*left unchanged/);
  assert.deepEqual(readFileSync(file), bytes);
});

test("every shipped recipe is fmt-clean and checks clean (issue #16)", () => {
  const fmt = seer(["fmt", "--check", path.join(ROOT, "recipes")]);
  assert.equal(fmt.code, 0, fmt.stdout + fmt.stderr);
  const check = seer(["check", path.join(ROOT, "recipes")]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
});
