/** Catalog hygiene: unique, well-formed codes; every code exercised; message style. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CATALOG } from "../../core/diagnostics/catalog.js";
import { FIXTURES } from "../helpers/paths.js";

/** Codes that no recipe can trigger, each proven by a named test elsewhere. */
const COVERED_ELSEWHERE: Record<string, string> = {
  SEER9000: "test/cli/cli.test.ts: internal errors exit 70",
  SEER1018: "test/fuzz/hostile.test.ts: a file past the size limits is refused (SEER1018), read or not (a golden would be megabytes)",
  SEER6001: "test/cli/pretrain.test.ts: a missing data root is a diagnostic at the recipe's `root`",
  SEER6002: "test/cli/run-failures.test.ts: a stage whose work fails is SEER6002 at its declaration",
  SEER6003: "test/cli/run-failures.test.ts: a stage no host of the inventory can run is SEER6003",
  SEER6004: "test/cli/run-dirty-data.test.ts: loop links in an image folder are reported by plan and run",
  SEER6005: "test/cli/plan-hardware.test.ts: a missing dataset is warning SEER6005 in plan (golden test/fixtures/plan/absent-data.stderr.txt)",
  SEER6006: "test/cli/plan-hardware.test.ts: SEER-10B with gpus = 1 is refused with numbers (golden test/fixtures/plan/does-not-fit.stderr.txt)",
};


test("codes are unique and well formed", () => {
  const codes = Object.values(CATALOG).map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length, "duplicate codes");
  for (const c of codes) assert.match(c, /^SEER\d{4}$/);
});

test("codes sit in their phase's range", () => {
  const first = (name: string) => CATALOG[name as keyof typeof CATALOG].code[4];
  for (const n of ["UnexpectedCharacter", "MissingValue", "UnclosedBracket"]) assert.equal(first(n), "1");
  for (const n of ["UnknownName", "ImportCycle", "UnknownTap"]) assert.equal(first(n), "2");
  for (const n of ["UnknownField", "WrongUnit", "ParamTypeMismatch"]) assert.equal(first(n), "3");
  for (const n of ["RegNetInvalid", "CropScaleOutOfRange", "NeedsTestSet"]) assert.equal(first(n), "4");
  for (const n of ["DataUnavailable", "StageFailed", "StageUnplaceable"]) assert.equal(first(n), "6");
  for (const n of ["HostsSyntax", "HostsBadValue", "HostKeysUnchecked"]) assert.equal(first(n), "6");
  assert.equal(first("InternalError"), "9");
});

test("messages are one sentence: capital or backtick first, period last; each has a title and an explanation", () => {
  for (const [name, e] of Object.entries(CATALOG)) {
    assert.match(e.message, /^([A-Z`{])/, `${name}: starts with a capital, a backtick or a parameter`);
    assert.match(e.message, /[.]$|\{detail\}$/, `${name}: ends with a period (or with a {detail} that does)`);
    assert.ok(e.title.length > 0 && e.explain.length > 20, `${name}: title and explanation`);
  }
});

function goldenCodes(): Set<string> {
  const dir = path.join(FIXTURES, "diagnostics");
  const codes = new Set<string>();
  for (const area of readdirSync(dir)) {
    for (const f of readdirSync(path.join(dir, area))) {
      if (!f.endsWith(".json")) continue;
      const report = JSON.parse(readFileSync(path.join(dir, area, f), "utf8")) as { diagnostics: { code: string }[] };
      for (const d of report.diagnostics) codes.add(d.code);
    }
  }
  // Hosts inventories (hosts.yaml) have their own goldens.
  const hosts = path.join(FIXTURES, "hosts");
  for (const f of readdirSync(hosts).filter((x) => x.endsWith(".json"))) {
    for (const d of (JSON.parse(readFileSync(path.join(hosts, f), "utf8")) as { diagnostics: { code: string }[] }).diagnostics) codes.add(d.code);
  }
  return codes;
}

test("every catalog code has a golden fixture (no unused codes), and goldens use no unknown code", () => {
  const used = goldenCodes();
  const all = new Set(Object.values(CATALOG).map((e) => e.code));
  for (const code of all) assert.ok(used.has(code) || code in COVERED_ELSEWHERE, `${code} has no golden fixture`);
  for (const code of used) assert.ok(all.has(code), `golden uses unknown code ${code}`);
});

test("every golden .seer has both outputs, and no output lacks its input", () => {
  const dir = path.join(FIXTURES, "diagnostics");
  for (const area of readdirSync(dir)) {
    const files = new Set(readdirSync(path.join(dir, area)));
    for (const f of files) {
      const base = f.replace(/\.(seer|json|stderr\.txt|args)$/, "");
      assert.ok(files.has(`${base}.seer`), `${area}/${f} has no .seer input`);
      if (f.endsWith(".seer")) {
        assert.ok(files.has(`${base}.json`) && files.has(`${base}.stderr.txt`), `${area}/${f} lacks goldens`);
      }
    }
  }
});
