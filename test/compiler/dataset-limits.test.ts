/** Issue #15: the checker enforces what the synthetic generator and the loader need, so `check` never passes what `run` then fails on. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";

function check(body: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-dataset-limits-"));
  writeFileSync(path.join(dir, "c.seer"), `dataset d = synthetic {\n  images = 100\n  ${body}\n}\n`);
  return seer(["check", "c.seer"], { cwd: dir });
}

test("a synthetic set of more than 10M images is a check error, not a crash at plan time (5B, 10^20)", () => {
  for (const n of ["5B", "99999999999999999999"]) {
    const dir = mkdtempSync(path.join(tmpdir(), "seer-dataset-limits-"));
    writeFileSync(path.join(dir, "c.seer"), `dataset d = synthetic { images = ${n} }\n`);
    const r = seer(["check", "c.seer"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error\[SEER3005\]: `images` must be .* no larger than 10000000/);
  }
});

test("synthetic size outside 8..1024 px and a 0% split are check errors (SEER3005); the bounds themselves pass", () => {
  for (const bad of ["size = 4px", "size = 1025px", "splits { train = 100%  test = 0% }"]) {
    const r = check(bad);
    assert.equal(r.code, 1, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /error\[SEER3005\]/, bad);
  }
  for (const ok of ["size = 8px", "size = 1024px", "splits { train = 99%  test = 1% }"]) assert.equal(check(ok).code, 0, ok);
});
