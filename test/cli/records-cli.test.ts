/** `seer runs` and `seer diff` end to end, on hand-made records in temporary runs directories. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeRecord } from "../../runtime/records/store.js";
import { seer } from "../helpers/cli.js";
import { copyRecord, sampleRecord, tempDir } from "../helpers/records.js";

const A = "20261126-153012-3f9a1c";
const B = "20261127-091500-a1b2c3";

/** A project folder with runs/A and runs/B (B: 30 linear epochs, top-1 43.5). */
function project(): string {
  const dir = tempDir("seer-cli-runs-");
  writeRecord(path.join(dir, "runs", A), sampleRecord(A));
  const b = copyRecord(sampleRecord(B, "2026-11-27T09:15:00.000Z"));
  const stages = (b.graph as { stages: { name: string; config: { settings: { epochs: { value: number } } } }[] }).stages;
  stages.find((s) => s.name.endsWith("swav_tiny.pool/linear"))!.config.settings.epochs.value = 30;
  b.metrics["quickstart"]!["swav_tiny.pool"]!["linear.top1"] = 43.5;
  writeRecord(path.join(dir, "runs", B), b);
  return dir;
}

function noStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+|SEER9000/);
}

test("seer runs: newest first as a table; --json; --dir", () => {
  const dir = project();
  const r = seer(["runs"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.match(lines[0]!, /^run +status +created \(UTC\) +recipe/);
  assert.ok(lines[2]!.startsWith(`${B}  succeeded  2026-11-27 09:15:00`), r.stdout);
  assert.ok(lines[3]!.startsWith(`${A}  succeeded  2026-11-26 15:30:12`), r.stdout);
  assert.match(lines[2]!, /43\.50 linear\.top1 \(swav_tiny\.pool\)$/);
  const json = seer(["runs", "--json", "--dir", path.join(dir, "runs")]);
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as { version: number; runs: { run_id: string; status: string }[] };
  assert.equal(parsed.version, 1);
  assert.deepEqual(parsed.runs.map((x) => x.run_id), [B, A]);
});

test("seer runs: an empty project, a missing --dir, a corrupt record (listed, exit 0)", () => {
  const empty = tempDir();
  assert.deepEqual(seer(["runs"], { cwd: empty }), { code: 0, stdout: "No runs in `runs`.\n", stderr: "" });
  const missing = seer(["runs", "--dir", "elsewhere"], { cwd: empty });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^seer: No such runs directory: elsewhere/);
  const dir = project();
  writeFileSync(path.join(dir, "runs", A, "record.json"), "{}");
  const r = seer(["runs"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${A}  unreadable`));
  assert.match(r.stdout, new RegExp(`\\n${A}: \`runs/${A}/record\\.json\` is not a seer run record`));
});

test("seer diff by run id, unique prefix, run directory or record file; deltas are B - A; exit 0", () => {
  const dir = project();
  const r = seer(["diff", A, B], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ +run +status/);
  assert.ok(r.stdout.includes("    /settings/epochs/value  20  30\n"), r.stdout);
  assert.ok(r.stdout.includes("linear.top1  41.25  43.50  +2.25"), r.stdout);
  const same = [
    seer(["diff", "20261126", "20261127-09"], { cwd: dir }),
    seer(["diff", path.join(dir, "runs", A), `runs/${B}/record.yaml`], { cwd: dir }),
    seer(["diff", `runs/${A}/record.json`, B, "--dir", "runs"], { cwd: dir }),
  ];
  for (const s of same) assert.deepEqual(s, r);
  const md = seer(["diff", A, B, "--format", "markdown"], { cwd: dir });
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /\| \/settings\/epochs\/value \| 20 \| 30 \|/);
  const json = seer(["diff", A, B, "--format", "json"], { cwd: dir });
  const d = JSON.parse(json.stdout) as { metrics: { delta: number | null }[] };
  assert.equal(d.metrics[0]!.delta, 2.25);
  const self = seer(["diff", A, A], { cwd: dir });
  assert.equal(self.code, 0);
  assert.match(self.stdout, /Configuration\n {2}no differences\n/);
});

test("seer diff usage errors exit 2: unknown run (with a suggestion), ambiguous prefix, bad format", () => {
  const dir = project();
  const unknown = seer(["diff", "20261126-153012-3f9a1d", B], { cwd: dir });
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, `seer: Unknown run \`20261126-153012-3f9a1d\`: not a record file, a run directory, or a run id in \`runs\`.\n  help: did you mean \`${A}\`?\n`);
  const nowhere = seer(["diff", "x", "y"], { cwd: tempDir() });
  assert.equal(nowhere.code, 2);
  assert.match(nowhere.stderr, /help: `runs` holds no runs/);
  const ambiguous = seer(["diff", "2026112", A], { cwd: dir });
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /`2026112` matches 2 runs in `runs`\.\n {2}help: name one of 20261126-153012-3f9a1c, 20261127-091500-a1b2c3/);
  assert.equal(seer(["diff", A, B, "--format", "html"], { cwd: dir }).code, 2);
  assert.equal(seer(["diff", A], { cwd: dir }).code, 2);
});

test("seer diff on an unreadable record exits 3 with the file and the problems, no stack trace", () => {
  const dir = project();
  const file = path.join(dir, "runs", B, "record.json");
  const broken = JSON.parse(JSON.stringify(sampleRecord(B))) as Record<string, unknown>;
  (broken["stages"] as Record<string, unknown>[])[0]!["status"] = "done";
  writeFileSync(file, JSON.stringify(broken));
  const r = seer(["diff", A, B], { cwd: dir });
  assert.equal(r.code, 3);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, `seer: \`runs/${B}/record.json\` is not a valid run record:\n  - stages[0].status: expected one of "ran", "cached", "failed", "skipped", found "done"\n`);
  noStackTrace(r.stderr);
  mkdirSync(path.join(dir, "runs", "empty"));
  const none = seer(["diff", A, "runs/empty"], { cwd: dir });
  assert.equal(none.code, 3);
  assert.equal(none.stderr, "seer: `runs/empty` holds no record.json or record.yaml.\n");
  writeFileSync(path.join(dir, "bad.yaml"), "format: [\n");
  const yaml = seer(["diff", "bad.yaml", B], { cwd: dir });
  assert.equal(yaml.code, 3);
  assert.match(yaml.stderr, /^seer: `bad\.yaml` is not valid YAML \(/);
  noStackTrace(yaml.stderr);
});

test("runs and diff are in the help", () => {
  const help = seer(["--help"]);
  assert.match(help.stdout, /runs \[options\] +list the recorded runs, newest first/);
  assert.match(help.stdout, /diff \[options\] <run-a> <run-b> +compare two runs: configuration, metrics,/);
  const diffHelp = seer(["diff", "--help"]);
  assert.match(diffHelp.stdout, /Exit codes: 0 compared \(whether or not the runs differ\), 2 unknown run or usage error, 3 unreadable record\./);
});
