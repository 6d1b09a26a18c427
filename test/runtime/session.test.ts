/**
 * The run session (runtime/session/) without the CLI: plan-time data problems as structured
 * errors, `--only` selection, the Ctrl-C handlers, a whole session on a small synthetic
 * dataset (record, index, logs, outcome) and a session refused by the project lock.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { lowerRecipe } from "../../compiler/lower/lower.js";
import type { ExecGraph } from "../../contract/graph.js";
import { prepareRun, type Prepared } from "../../runtime/session/prepare.js";
import { SelectionError, selectStages } from "../../runtime/session/selection.js";
import { runSession, type SessionOptions } from "../../runtime/session/session.js";
import { CANCELLING, onInterrupt } from "../../runtime/session/signals.js";
import { holdLock } from "../helpers/lock-holder.js";
import { ROOT } from "../helpers/paths.js";

const SEER = "0.0.0-test";

function project(text: string): { dir: string; graph: ExecGraph } {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-session-"));
  const file = path.join(dir, "r.seer");
  writeFileSync(file, text);
  const c = compile([file]);
  assert.deepEqual(c.diagnostics.filter((d) => d.severity === "error"), []);
  return { dir, graph: lowerRecipe(c, c.program.roots[0]!, SEER) };
}

async function prepared(dir: string, graph: ExecGraph): Promise<Prepared> {
  const r = await prepareRun(graph, { baseDir: dir, seer: SEER, backend: "cpu", projectDir: dir });
  assert.ok("prepared" in r, "no data problems");
  return r.prepared;
}

const options = (dir: string, o: Partial<SessionOptions> = {}): SessionOptions => ({
  recipe: { file: path.join(dir, "r.seer"), set: [], modules: [], resolved: {}, seeds: {} },
  seer: SEER,
  packageRoot: ROOT,
  retries: 0,
  failFast: true,
  only: [],
  runsDir: path.join(dir, "runs"),
  argv: ["run", "r.seer"],
  ...o,
});

test("session: a dataset that cannot be read comes back as a data problem naming its stage and declaration", async () => {
  const { dir, graph } = project('dataset photos = image_folder { root = "no/such/folder" }\n');
  const r = await prepareRun(graph, { baseDir: dir, seer: SEER, projectDir: dir });
  assert.ok("problems" in r);
  assert.equal(r.problems.length, 1);
  const [p] = r.problems;
  assert.equal(p!.stage, "data/photos");
  assert.equal(p!.source.declaration, "photos");
  assert.match(p!.source.file, /r\.seer$/);
  assert.equal(p!.error.name, "DataError");
});

test("session: --only selects stages by name, prefix or declaration with everything they need; an unknown one is a SelectionError", () => {
  const { graph } = project("dataset a = synthetic { images = 8  size = 8px  classes = 2 }\ndataset b = synthetic { images = 8  size = 8px  classes = 2 }\n");
  assert.equal(selectStages(graph, []), undefined);
  assert.deepEqual([...selectStages(graph, ["data/a"])!], ["data/a"]);
  assert.deepEqual([...selectStages(graph, ["b"])!], ["data/b"]);
  assert.deepEqual([...selectStages(graph, ["data"])!].sort(), ["data/a", "data/b"]);
  assert.throws(() => selectStages(graph, ["nope"]), (e: unknown) => e instanceof SelectionError && e.pattern === "nope" && e.stages.includes("data/a"));
});

test("session: the first Ctrl-C cancels with a notice; the handlers go away afterwards", () => {
  const abort = new AbortController();
  const notices: string[] = [];
  const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
  const remove = onInterrupt(abort, (l) => notices.push(l));
  assert.deepEqual([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")], [before[0]! + 1, before[1]! + 1]);
  process.emit("SIGINT");
  assert.ok(abort.signal.aborted);
  assert.deepEqual(notices, [CANCELLING]);
  remove();
  assert.deepEqual([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")], before);
});

test("session: a whole run writes the record, remembers what it published, logs each started stage; a rerun is cached", async () => {
  const { dir, graph } = project("dataset shapes = synthetic { images = 8  size = 8px  classes = 2 }\n");
  const p = await prepared(dir, graph);
  const events: string[] = [];
  const out = await runSession(p, options(dir, { events: { ready: () => events.push("ready"), start: (s) => events.push(`start ${s.name}`), done: (r) => events.push(`done ${r.stage.name} ${r.status}`) } }));
  assert.ok(!("refused" in out));
  assert.equal(out.code, 0);
  assert.equal(out.status, "succeeded");
  assert.deepEqual(events, ["ready", "start data/shapes", "done data/shapes ran"]);
  assert.deepEqual(out.failures, []);
  assert.equal(out.record.stages[0]!.status, "ran");
  assert.ok(existsSync(path.join(out.runDir, "record.json")));
  assert.match(readFileSync(out.logs.get("data/shapes")!, "utf8"), /started \(prepare-data\)\n.*done in [\d.]+ s on local\n$/);
  assert.equal(p.store.readIndex()["data/shapes"]?.key, p.keys.get("data/shapes"));
  assert.equal(existsSync(path.join(p.store.root, "lock")), false, "the lock is released");

  const again = await runSession(await prepared(dir, graph), options(dir));
  assert.ok(!("refused" in again));
  assert.equal(again.results.get("data/shapes")?.status, "cached");
  assert.equal(again.logs.size, 0, "cached stages write no log");
});

test("session: another live run's lock refuses the run before anything starts", async () => {
  const { dir, graph } = project("dataset shapes = synthetic { images = 8  size = 8px  classes = 2 }\n");
  const p = await prepared(dir, graph);
  const holder = await holdLock(path.join(p.store.root, "lock"));
  try {
    const out = await runSession(p, options(dir));
    assert.ok("refused" in out);
    assert.equal(out.code, 3);
    assert.match(out.refused[0]!, new RegExp(`another seer run \\(pid ${holder.pid} on .+\\) is using this project`));
    assert.equal(existsSync(path.join(dir, "runs")), false);
  } finally {
    holder.kill("SIGKILL");
  }
});
