/** diffRecords and its renderers, on two runs that differ in one eval field and one metric. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { diffRecords } from "../../../runtime/records/diff.js";
import { diffJson } from "../../../runtime/records/json-diff.js";
import { renderDiff } from "../../../runtime/records/render-diff.js";
import { copyRecord, sampleRecord } from "../../helpers/records.js";

const LINEAR = "eval/quickstart/swav_tiny.pool/linear";

function pair() {
  const a = sampleRecord("20261126-153012-3f9a1c");
  const b = copyRecord(sampleRecord("20261127-091500-a1b2c3", "2026-11-27T09:15:00.000Z"));
  const stage = (b.graph as { stages: { name: string; config: { settings: { epochs: { value: number } } } }[] }).stages.find((s) => s.name === LINEAR)!;
  stage.config.settings.epochs.value = 30;
  b.metrics["quickstart"]!["swav_tiny.pool"]!["linear.top1"] = 43.5;
  return { a, b };
}

test("one eval field and one metric: exact pointer path, values and deltas; nothing else differs", () => {
  const { a, b } = pair();
  const d = diffRecords(a, b);
  assert.deepEqual(d.config, { recipe: [], sources: [], datasets: [], seeds: [], stages: { added: [], removed: [], changed: [{ stage: LINEAR, fields: [{ path: "/settings/epochs/value", a: 20, b: 30 }] }] } });
  assert.deepEqual(d.metrics, [
    { suite: "quickstart", row: "swav_tiny.pool", metric: "linear.top1", a: 41.25, b: 43.5, delta: 2.25 },
    { suite: "quickstart", row: "swav_tiny.pool", metric: "linear.top5", a: 88.5, b: 88.5, delta: 0 },
    { suite: "quickstart", row: "random_init(tiny).pool", metric: "linear.top1", a: 12.5, b: 12.5, delta: 0 },
    { suite: "quickstart", row: "random_init(tiny).pool", metric: "linear.top5", a: 50, b: 50, delta: 0 },
  ]);
  assert.deepEqual(d.environment, []);
  assert.deepEqual(d.a, { run_id: "20261126-153012-3f9a1c", status: "succeeded", created: "2026-11-26T15:30:12.000Z", recipe: "recipes/quickstart.seer" });
});

test("added and removed stages, params, seeds, datasets, a metric on one side, environment and git", () => {
  const { a } = pair();
  const b = copyRecord(a);
  const graph = b.graph as { stages: { name: string }[] };
  graph.stages[0]!.name = "data/shapes_v2";
  b.recipe.params = { pretrain_epochs: "8", batch: "64" };
  b.seeds["swav_tiny"] = 7;
  b.datasets[0]!.fingerprint = "sha256:other";
  delete b.metrics["quickstart"]!["random_init(tiny).pool"]!["linear.top5"];
  b.environment.node = "v22.1.0";
  b.git = { commit: "fedcba", dirty: true, root: "/elsewhere" };
  const d = diffRecords(a, b);
  assert.deepEqual(d.config.stages, { added: ["data/shapes_v2"], removed: ["data/shapes"], changed: [] });
  assert.deepEqual(d.config.recipe, [{ key: "param pretrain_epochs", a: "6", b: "8" }, { key: "param batch", b: "64" }]);
  assert.deepEqual(d.config.seeds, [{ key: "swav_tiny", a: 0, b: 7 }]);
  assert.deepEqual(d.config.datasets, [{ key: "shapes", a: `sha256:${"c".repeat(64)}`, b: "sha256:other" }]);
  assert.deepEqual(d.metrics.at(-1), { suite: "quickstart", row: "random_init(tiny).pool", metric: "linear.top5", a: 50, b: null, delta: null });
  assert.deepEqual(d.environment, [
    { key: "node", a: "v20.20.2", b: "v22.1.0" },
    { key: "git.commit", a: "0123456789abcdef0123456789abcdef01234567", b: "fedcba" },
    { key: "git.dirty", a: false, b: true },
  ]);
});

test("diffJson: pointers escape `/` and `~`; arrays index by index; absent sides stay absent", () => {
  assert.deepEqual(diffJson({ "a/b": 1, "c~d": [1, 2], e: { f: null } }, { "a/b": 2, "c~d": [1], e: { f: 0 }, g: true }), [
    { path: "/a~1b", a: 1, b: 2 },
    { path: "/c~0d/1", a: 2 },
    { path: "/e/f", a: null, b: 0 },
    { path: "/g", b: true },
  ]);
  assert.deepEqual(diffJson({ x: [1] }, { x: { 0: 1 } }), [{ path: "/x", a: [1], b: { 0: 1 } }]);
});

test("text rendering: aligned tables for the changed stage field and the metrics", () => {
  const { a, b } = pair();
  const text = renderDiff(diffRecords(a, b), "text");
  assert.ok(text.includes(`Configuration\n  stage ${LINEAR}\n    field                   A   B\n    ----------------------  --  --\n    /settings/epochs/value  20  30\n`), text);
  assert.ok(text.includes("  quickstart  swav_tiny.pool          linear.top1  41.25  43.50  +2.25\n"), text);
  assert.ok(text.includes("Metrics (1 of 4 differ)"), text);
  assert.ok(text.endsWith("Environment\n  no differences\n"), text);
});

test("markdown and JSON rendering", () => {
  const { a, b } = pair();
  const md = renderDiff(diffRecords(a, b), "markdown");
  assert.ok(md.startsWith("# Run diff\n"));
  assert.ok(md.includes(`**stage ${LINEAR}**\n\n| field | A | B |\n|---|---|---|\n| /settings/epochs/value | 20 | 30 |`), md);
  assert.ok(md.includes("| quickstart | swav_tiny.pool | linear.top1 | 41.25 | 43.50 | +2.25 |"), md);
  const json = JSON.parse(renderDiff(diffRecords(a, b), "json")) as Record<string, unknown>;
  assert.equal(json["format"], "seer-run-diff");
  assert.equal(json["version"], 1);
  assert.deepEqual((json["config"] as { stages: unknown }).stages, { added: [], removed: [], changed: [{ stage: LINEAR, fields: [{ path: "/settings/epochs/value", a: 20, b: 30 }] }] });
});
