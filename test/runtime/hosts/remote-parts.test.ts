/**
 * The pieces of remote execution that need no server: shell quoting (proved against a real
 * `sh` with hostile strings), the Slurm batch script and squeue parsing, the install payload,
 * and the stage-exec worker run as a process on a prepare-data job.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { shellCommand, shq, script } from "../../../runtime/hosts/shell.js";
import { remoteCommandLine } from "../../../runtime/hosts/ssh.js";
import { batchScript, parseQueue, parseSubmitted, phaseOf, requestFor } from "../../../runtime/hosts/slurm.js";
import { installPayload } from "../../../runtime/hosts/install.js";
import type { SlurmSpec } from "../../../runtime/hosts/inventory.js";
import type { Stage } from "../../../contract/graph.js";
import { ROOT } from "../../helpers/paths.js";

const HOSTILE = ["a b", "it's", 'say "hi"', "$(touch PWNED)", "`touch PWNED`", "a; touch PWNED", "line\nbreak", "tab\there", "*", "~", "-n", "\\", "${HOME}", "'", "''", "a'b'c", "back\\slash'quote", "!", "#x", "&&", "|", ">out"];

/** What `sh` receives as arguments when it runs a quoted command line (printf prints each, NUL-terminated). */
function argsThroughSh(args: string[]): string[] {
  const r = spawnSync("sh", ["-c", shellCommand(["printf", "%s\\0", ...args])], { encoding: "utf8", cwd: mkdtempSync(path.join(tmpdir(), "seer-quote-")) });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\0").slice(0, -1);
}

test("quoting: hostile arguments reach the program unchanged through a real sh, and nothing runs", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-quote-"));
  assert.deepEqual(argsThroughSh(HOSTILE), HOSTILE);
  const r = spawnSync("sh", ["-c", `cd ${shq(dir)} && ${shellCommand(["printf", "%s", ...HOSTILE])}`], { encoding: "utf8" });
  assert.equal(r.status, 0);
  assert.equal(existsSync(path.join(dir, "PWNED")), false);
  assert.equal(existsSync(path.join(dir, "out")), false);
});

test("quoting: any string without NUL survives (property, 200 cases)", () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: "binary-ascii", minLength: 0, maxLength: 12 }).filter((s) => !s.includes("\0")), { minLength: 1, maxLength: 4 }), (args) => {
      assert.deepEqual(argsThroughSh(args), args);
    }),
    { numRuns: 200 },
  );
  assert.throws(() => shq("a\0b"), /NUL/);
});

test("remote command lines: cd and env are quoted too; scripts take data as positional parameters", () => {
  const line = remoteCommandLine(["echo", "x"], { cwd: "/tmp/a b/$(x)", env: { SLURM_CONF: "/etc/slurm conf" } });
  assert.equal(line, `cd '/tmp/a b/$(x)' && 'env' 'SLURM_CONF=/etc/slurm conf' 'echo' 'x'`);
  assert.deepEqual(script('echo "$1"', ["a;b"]), ["sh", "-c", 'echo "$1"', "sh", "a;b"]);
});

const spec: SlurmSpec = { kind: "slurm", name: "c", gpus: 8, maxJobs: 16, engines: ["tfjs"], workdir: "w", node: "node", partition: "gpu", account: "vision", gpusPerNode: 8, maxNodes: 4, timeLimit: "3-00:00:00", cpusPerTask: 4, env: {}, pollSeconds: 2 };
const stage = { name: "pretrain/swav", resources: { gpus: 2, cpu: true } } as Stage;

test("Slurm: the batch script asks for the stage's GPUs, memory, time, partition and account, and quotes every path", () => {
  const r = requestFor(spec, stage, 3 * 2 ** 30);
  assert.deepEqual(r, { partition: "gpu", account: "vision", timeLimit: "3-00:00:00", gpus: 2, cpusPerTask: 4, memoryMb: 5632 });
  const text = batchScript(r, { name: "seer-x", workdir: "/w d/$(x)", seer: ["node", "/w d/seer/bin/seer.js"], jobDirs: ["/w d/jobs/a'1", "/w d/jobs/b"] });
  for (const line of ["#SBATCH --partition=gpu", "#SBATCH --account=vision", "#SBATCH --time=3-00:00:00", "#SBATCH --gres=gpu:2", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=5632M", "#SBATCH --requeue", "#SBATCH --array=0-1"]) assert.ok(text.includes(`${line}\n`), line);
  assert.match(text, /JOBS=\('\/w d\/jobs\/a'\\''1' '\/w d\/jobs\/b'\)/);
  assert.match(text, /cd '\/w d\/\$\(x\)' \|\| exit 3/);
  // bash accepts the script (syntax only).
  assert.equal(spawnSync("bash", ["-n"], { input: text }).status, 0);
  // A cluster without GPUs is never asked for them; a single job is not an array.
  const cpu = batchScript(requestFor({ ...spec, gpusPerNode: 0 }, stage, undefined), { name: "n", workdir: "/w", seer: ["node", "s.js"], jobDirs: ["/w/j"] });
  assert.doesNotMatch(cpu, /--gres|--array|--mem/);
});

test("Slurm: a torch stage asks for its process group: a task per GPU on as many nodes as it needs, or --nproc-per-node tasks on CPUs", () => {
  const big = { ...stage, kind: "pretrain-swav", spec: { engine: null }, resources: { gpus: 16, cpu: true } } as Stage;
  const torch = { name: "torch" as const };
  const r = requestFor(spec, big, undefined, torch);
  assert.deepEqual([r.nodes, r.tasksPerNode, r.gpus], [2, 8, 8]);
  const text = batchScript(r, { name: "n", workdir: "/w", seer: ["node", "s.js"], jobDirs: ["/w/j"] });
  for (const line of ["#SBATCH --nodes=2", "#SBATCH --ntasks-per-node=8", "#SBATCH --gres=gpu:8"]) assert.ok(text.includes(`${line}\n`), line);
  assert.doesNotMatch(text, /--ntasks=1/);
  assert.equal(spawnSync("bash", ["-n"], { input: text }).status, 0);
  const small = { ...big, resources: { gpus: 0, cpu: true } } as Stage;
  const cpu = requestFor({ ...spec, gpusPerNode: 0 }, small, undefined, { ...torch, procs: 2 });
  assert.deepEqual([cpu.nodes, cpu.tasksPerNode, cpu.gpus], [1, 2, 0]);
  // tfjs stages, and torch with one rank, stay one task.
  assert.equal(requestFor(spec, big, undefined).tasksPerNode, undefined);
  assert.equal(requestFor({ ...spec, gpusPerNode: 0 }, small, undefined, torch).tasksPerNode, undefined);
});

test("Slurm: sbatch --parsable and squeue output", () => {
  assert.equal(parseSubmitted("1234\n"), "1234");
  assert.equal(parseSubmitted("1234;cluster\n"), "1234");
  assert.equal(parseSubmitted("sbatch: error: invalid partition"), undefined);
  assert.deepEqual([...parseQueue("12_0|RUNNING|0   \n12_1|PENDING|0\n13|COMPLETED|1\n")], [["12_0", { state: "RUNNING", restarts: 0 }], ["12_1", { state: "PENDING", restarts: 0 }], ["13", { state: "COMPLETED", restarts: 1 }]]);
  assert.deepEqual(["PENDING", "RUNNING", "COMPLETING", "COMPLETED", "FAILED", "CANCELLED+", "PREEMPTED", "TIMEOUT", undefined].map(phaseOf), ["waiting", "running", "running", "done", "failed", "failed", "failed", "failed", "gone"]);
});

test("install payload: the bundle and the packages it leaves external with their dependencies, no dev tools", () => {
  const p = installPayload(ROOT, "0.1.0");
  assert.match(p.id, /^0\.1\.0-[0-9a-f]{12}$/);
  for (const need of ["bin", "dist", "engines/torch/seer_torch", "package.json", "node_modules/@tensorflow/tfjs", "node_modules/@tensorflow/tfjs-core", "node_modules/@tensorflow/tfjs-backend-wasm", "node_modules/sharp", "node_modules/seedrandom"]) assert.ok(p.paths.includes(need), need);
  for (const not of ["node_modules/typescript", "node_modules/esbuild", "node_modules/fast-check", "node_modules/chevrotain", "node_modules/execa"]) assert.ok(!p.paths.includes(not), not);
  assert.deepEqual(p.exclude, ["*.map", "__pycache__"]);
});

test("stage-exec: a worker process runs a prepare-data job into its own store and reports the output's hashes", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-worker-"));
  const job = path.join(dir, "jobs", "j1");
  mkdirSync(job, { recursive: true });
  const stage: Stage = { id: `sha256:${"0".repeat(64)}`, name: "data/shapes", kind: "prepare-data", spec: { kind: "synthetic", name: "shapes", dir: "", attributes: ["group"], generator: "shapes", images: 20, size: 16, classes: 2, groups: 1, shift: 0, seed: 1, splits: null }, inputs: [], resources: { gpus: 0, cpu: true }, source: { file: "x.seer", declaration: "shapes" } };
  const key = "a".repeat(64);
  const version = spawnSync(process.execPath, [path.join(ROOT, "bin", "seer.js"), "--version"], { encoding: "utf8" }).stdout.trim();
  const jobJson = { version: 1, seer: version, stage, key, upstream: [], store: "../..", backend: { name: "wasm", tfjsBackend: "wasm", reason: "test", tried: [], tfjsVersion: "4.22.0" }, baseDir: dir };
  writeFileSync(path.join(job, "job.json"), JSON.stringify(jobJson));
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "seer.js"), "stage-exec", job], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; result?: { ok: boolean; files: { path: string }[]; digest: string } });
  const result = events.at(-1)!;
  assert.equal(result.event, "result");
  assert.equal(result.result?.ok, true);
  assert.deepEqual(result.result?.files.map((f) => f.path), ["dataset.json"]);
  assert.deepEqual(JSON.parse(readFileSync(path.join(job, "result.json"), "utf8")), result.result);
  const manifest = JSON.parse(readFileSync(path.join(dir, ".seer", "stages", key, "manifest.json"), "utf8")) as { digest: string };
  assert.equal(manifest.digest, result.result?.digest);
  // Run again: the host already holds the output, so the worker reuses it.
  const again = spawnSync(process.execPath, [path.join(ROOT, "bin", "seer.js"), "stage-exec", job], { cwd: dir, encoding: "utf8" });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /"reused":true/);
  // A job written by another version is refused with exit 3 and a clear message.
  writeFileSync(path.join(job, "job.json"), JSON.stringify({ ...jobJson, seer: "9.9.9" }));
  const old = spawnSync(process.execPath, [path.join(ROOT, "bin", "seer.js"), "stage-exec", job], { cwd: dir, encoding: "utf8" });
  assert.equal(old.status, 3);
  assert.match(old.stderr, /written by seer 9\.9\.9, this is seer /);
  assert.doesNotMatch(old.stderr, /at .*\.js:\d+/);
});
