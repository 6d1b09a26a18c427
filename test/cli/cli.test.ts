/** The command line end to end: exit codes, output formats, fmt, render, explain. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { seer } from "../helpers/cli.js";
import { ROOT, SPEC_ERRORS as ERRORS, SPEC_EXAMPLES as EXAMPLES } from "../helpers/paths.js";

test("check: clean recipes exit 0 with a summary line", () => {
  const r = seer(["check", "recipes/"], { cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Checked \d+ files: no problems found\./);
});

test("check: recipe errors exit 1 with a code frame", () => {
  const r = seer(["check", "wrong-unit.seer", "--color", "never"], { cwd: ERRORS });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[SEER3004\]: `duration` takes images, steps or epochs; `224px` is a length in pixels\./);
  assert.match(r.stderr, /--> wrong-unit.seer:5:14/);
  assert.match(r.stderr, /\^\^\^\^\^/);
  assert.doesNotMatch(r.stderr, /\u001b\[/, "no colour with --color never");
});

test("check --color always colours the output", () => {
  const r = seer(["check", "wrong-unit.seer", "--color", "always"], { cwd: ERRORS });
  assert.match(r.stderr, /\u001b\[1;31merror\[SEER3004\]/);
});

test("check --format json follows the contract exactly", () => {
  const r = seer(["check", "syntax-recovery.seer", "--format", "json"], { cwd: ERRORS });
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(report), ["version", "diagnostics", "summary"]);
  assert.equal(report["version"], 1);
  assert.deepEqual(report["summary"], { errors: 2, warnings: 0, files: 1 });
  const [first, second] = report["diagnostics"] as Record<string, unknown>[];
  assert.deepEqual(first, {
    code: "SEER1010",
    severity: "error",
    message: "A value is missing after `=`.",
    file: "syntax-recovery.seer",
    range: { start: { line: 4, column: 28, offset: 297 }, end: { line: 4, column: 29, offset: 298 } },
  });
  assert.equal((second?.["range"] as { start: { line: number } }).start.line, 6);
  const allowed = new Set(["code", "severity", "message", "file", "range", "path", "help", "fixes"]);
  for (const d of report["diagnostics"] as Record<string, unknown>[]) for (const k of Object.keys(d)) assert.ok(allowed.has(k), `unexpected key ${k}`);
});

test("check --format sarif is SARIF 2.1.0 with rules and locations", () => {
  const r = seer(["check", "unknown-field.seer", "--format", "sarif"], { cwd: ERRORS });
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]; fixes?: unknown[] }[] }[] };
  assert.equal(sarif.version, "2.1.0");
  const run = sarif.runs[0]!;
  assert.equal(run.tool.driver.name, "seer");
  assert.deepEqual(run.tool.driver.rules.map((x) => x.id), ["SEER3001"]);
  const res = run.results[0]!;
  assert.equal(res.ruleId, "SEER3001");
  assert.equal(res.level, "error");
  assert.deepEqual(res.locations[0]!.physicalLocation.region.startLine, 6);
  assert.equal(res.locations[0]!.physicalLocation.artifactLocation.uri, "unknown-field.seer");
  assert.ok(res.fixes && res.fixes.length === 1);
});

test("check --format github prints workflow annotations", () => {
  const r = seer(["check", "regnet-group-width.seer", "--format", "github"], { cwd: ERRORS });
  assert.equal(r.code, 1);
  assert.equal(r.stdout.trim(), "::error file=regnet-group-width.seer,line=3,col=90,endLine=3,endColumn=91,title=SEER3005::`group_width` must be a positive whole number of channels; 0 is not.");
});

test("usage errors exit 2: missing file, unknown flag, unknown format, no arguments", () => {
  assert.equal(seer(["check", "no-such-file.seer"]).code, 2);
  assert.match(seer(["check", "no-such-file.seer"]).stderr, /No such file or directory: no-such-file\.seer/);
  assert.equal(seer(["check", "--frobnicate"]).code, 2);
  assert.equal(seer(["check", "--format", "xml", "x.seer"]).code, 2);
  assert.equal(seer(["frobnicate"]).code, 2);
  assert.equal(seer([]).code, 2);
});

test("internal errors exit 70 with a report note and no stack trace unless --debug", () => {
  const r = seer(["check", "recipes/"], { cwd: ROOT, env: { SEER_TEST_INTERNAL_ERROR: "1" } });
  assert.equal(r.code, 70);
  assert.match(r.stderr, /error\[SEER9000\]: Internal error: forced by SEER_TEST_INTERNAL_ERROR\. This is a bug in seer; please report it with the recipe\./);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  const d = seer(["--debug", "check", "recipes/"], { cwd: ROOT, env: { SEER_TEST_INTERNAL_ERROR: "1" } });
  assert.equal(d.code, 70);
  assert.match(d.stderr, /at .*:\d+/);
});

test("--set overrides a parameter; a bad override points at the command line", () => {
  const ok = seer(["check", "quickstart.seer", "--set", "pretrain_epochs=2"], { cwd: EXAMPLES });
  assert.equal(ok.code, 0, ok.stderr);
  const bad = seer(["check", "quickstart.seer", "--set", "pretrain_epochs=3px", "--color", "never"], { cwd: EXAMPLES });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /error\[SEER3012\]: The parameter `pretrain_epochs` is a number of epochs; this is a length in pixels\./);
  assert.match(bad.stderr, /--> --set:1:17/);
  assert.match(bad.stderr, /Found 1 error and 0 warnings/, "no second error where the parameter is used (issue #16)");
  const unknown = seer(["check", "quickstart.seer", "--set", "pretrain_epoch=3"], { cwd: EXAMPLES });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /did you mean `pretrain_epochs`\?/);
});

test("--version and --help", () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  const v = seer(["--version"]);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), pkg.version);
  for (const cmd of [[], ["check"], ["fmt"], ["render"], ["explain"]]) {
    const h = seer([...cmd, "--help"]);
    assert.equal(h.code, 0, `${cmd.join(" ")} --help`);
    assert.match(h.stdout, /Usage: seer/);
  }
});

test("explain prints a code's long explanation; unknown codes are usage errors with a suggestion", () => {
  const r = seer(["explain", "SEER3001"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /SEER3001 \(error\): Unknown field/);
  const bad = seer(["explain", "SEER3010x"]);
  assert.equal(bad.code, 2);
});

test("fmt --check, --stdout and in-place rewriting (atomic, idempotent)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-fmt-"));
  cpSync(path.join(EXAMPLES, "quickstart.seer"), path.join(dir, "q.seer"));
  const check = seer(["fmt", "--check", "q.seer"], { cwd: dir });
  assert.equal(check.code, 1);
  assert.match(check.stdout, /would reformat q\.seer/);
  const stdout = seer(["fmt", "--stdout", "q.seer"], { cwd: dir });
  assert.equal(stdout.code, 0);
  assert.equal(seer(["fmt", "q.seer"], { cwd: dir }).code, 0);
  assert.equal(readFileSync(path.join(dir, "q.seer"), "utf8"), stdout.stdout);
  assert.equal(seer(["fmt", "--check", "q.seer"], { cwd: dir }).code, 0);
  assert.deepEqual(readdirSync(dir), ["q.seer"], "no temp files left behind");
  assert.equal(seer(["check", "q.seer"], { cwd: dir }).code, 0);
});

test("fmt refuses a file with syntax errors and leaves it untouched", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-fmt-"));
  const bad = "model m = regnet { depth = }\n";
  writeFileSync(path.join(dir, "bad.seer"), bad);
  const r = seer(["fmt", "bad.seer", "--color", "never"], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /SEER1010/);
  assert.equal(readFileSync(path.join(dir, "bad.seer"), "utf8"), bad);
});

test("render prints the resolved recipe with defaults and each pretraining's derived numbers, as JSON or YAML", () => {
  const r = seer(["render", "quickstart.seer", "--set", "pretrain_epochs=2"], { cwd: EXAMPLES });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { params: Record<string, unknown>; declarations: Record<string, { kind: string; constructor: string; fields: Record<string, unknown>; derived_from?: string[] }> };
  assert.deepEqual(doc.params["pretrain_epochs"], { value: 2, unit: "epochs" });
  const swav = doc.declarations["swav_tiny"]!;
  assert.equal(swav.constructor, "swav");
  assert.deepEqual(swav.fields["duration"], { value: 2, unit: "epochs" });
  assert.deepEqual(swav.fields["queue"], { length: 0, start: { value: 15, unit: "epochs" } });
  assert.deepEqual(swav.fields["model"], { $ref: "tiny" });
  assert.deepEqual(doc.declarations["shapes_shifted"]!.derived_from, ["shapes"]);
  // What the pretraining works out to, from the declared data size (issue #16), as `seer plan` shows it.
  assert.deepEqual((swav as unknown as { derived: unknown }).derived, { images: 3200, batch: 128, per_device_batch: 128, steps_per_epoch: 25, total_steps: 50, warmup_steps: 25, images_seen: 6400, peak_lr: 0.3, warmup_from_lr: 0 });
  assert.equal(doc.declarations["shapes_shifted"]!.fields["classes"], 10);
  const y = seer(["render", "quickstart.seer", "--format", "yaml"], { cwd: EXAMPLES });
  assert.equal(y.code, 0);
  assert.match(y.stdout, /swav_tiny:\n\s+kind: pretrain/);
  const broken = seer(["render", "wrong-unit.seer"], { cwd: ERRORS });
  assert.equal(broken.code, 1);
});

test("check, fmt and render never load TensorFlow.js", () => {
  const hook = path.join(ROOT, "test", "fixtures", "processes", "forbid-tfjs.mjs");
  const env = { NODE_OPTIONS: `--import ${hook}` };
  for (const args of [["check", "recipes/"], ["fmt", "--check", "recipes/std/regnet.seer"], ["render", "recipes/quickstart.seer"]]) {
    const r = seer(args, { cwd: ROOT, env });
    assert.doesNotMatch(r.stderr, /FORBIDDEN/, args.join(" "));
    assert.ok(r.code === 0 || r.code === 1, `${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  }
  // The hook itself works: any TensorFlow.js import under it fails.
  const probe = spawnSync(process.execPath, ["--import", hook, "--input-type=module", "-e", 'await import("@tensorflow/tfjs")'], { encoding: "utf8" });
  assert.match(probe.stderr, /FORBIDDEN: @tensorflow\/tfjs was imported/);
});

test("doctor reports the chosen backend and why the GPU backend is absent", () => {
  const r = seer(["doctor"], { cwd: ROOT, env: { SEER_BACKEND: "" } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^seer \d+\.\d+\.\d+/);
  assert.match(r.stdout, /using: wasm \(SIMD on/);
  assert.match(r.stdout, /tensorflow-gpu\s+no\s+package @tensorflow\/tfjs-node-gpu is not installed/);
  assert.match(r.stdout, /nvidia-smi/);
  const cpu = seer(["doctor", "--format", "json"], { cwd: ROOT, env: { SEER_BACKEND: "cpu" } });
  assert.equal(cpu.code, 0, cpu.stderr);
  const report = JSON.parse(cpu.stdout) as { seer: string; backend: { name: string }; node: { version: string } };
  assert.equal(report.backend.name, "cpu");
  assert.equal(report.node.version, process.version);
  const missing = seer(["doctor", "--backend", "tensorflow"], { cwd: ROOT });
  assert.equal(missing.code, 3, "an explicitly requested backend that cannot load is a runtime failure");
});

test("graph prints the execution graph as JSON, DOT or Mermaid", () => {
  const j = seer(["graph", "recipes/quickstart.seer"], { cwd: ROOT });
  assert.equal(j.code, 0, j.stderr);
  const g = JSON.parse(j.stdout) as { version: number; stages: { name: string; id: string }[] };
  assert.equal(g.version, 2);
  assert.ok(g.stages.some((s) => s.name === "pretrain/swav_tiny" && /^sha256:[0-9a-f]{64}$/.test(s.id)));
  assert.match(seer(["graph", "recipes/quickstart.seer", "--format", "dot"], { cwd: ROOT }).stdout, /^digraph /);
  assert.match(seer(["graph", "recipes/quickstart.seer", "--format", "mermaid"], { cwd: ROOT }).stdout, /^flowchart LR/);
  assert.equal(seer(["graph", path.join(ERRORS, "wrong-unit.seer")], { cwd: ROOT }).code, 1);
});
