/** Hand-made run records for the records and CLI tests (no training involved). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunRecord } from "../../runtime/records/record.js";
import { sourceSha256 } from "../../runtime/records/validate.js";

export const RECIPE_TEXT = 'dataset shapes = synthetic { images = 4K }\n\t// a tab, trailing spaces   \n// é ü 🙂\n';

function evalStage(row: string, epochs: number) {
  return {
    id: `sha256:${"a".repeat(64)}`,
    name: `eval/quickstart/${row}/linear`,
    kind: "linear-eval",
    config: { constructor: "linear_probe", eval: "linear", row, settings: { epochs: { unit: "epochs", value: epochs }, seed: 0 } },
    inputs: [`features/${row}/shapes.train`],
  };
}

/** A valid, succeeded record; `id` becomes the run id, `created` its start. */
export function sampleRecord(id = "20261126-153012-3f9a1c", created = "2026-11-26T15:30:12.000Z"): RunRecord {
  return {
    format: "seer-run-record",
    version: 1,
    run_id: id,
    status: "succeeded",
    created,
    finished: new Date(Date.parse(created) + 252_500).toISOString(),
    command: ["run", "recipes/quickstart.seer", "--set", "pretrain_epochs=6"],
    project: "/home/me/project",
    recipe: {
      file: "recipes/quickstart.seer",
      params: { pretrain_epochs: "6" },
      sources: [{ path: "recipes/quickstart.seer", sha256: sourceSha256(RECIPE_TEXT), text: RECIPE_TEXT }],
      resolved: { declarations: { shapes: { constructor: "synthetic", fields: { images: 4000 } } } },
    },
    graph: {
      version: 1,
      seer: "0.1.0",
      recipe: "recipes/quickstart.seer",
      stages: [
        { id: `sha256:${"b".repeat(64)}`, name: "data/shapes", kind: "prepare-data", config: { constructor: "synthetic", fields: { images: 4000, seed: 1 } }, inputs: [] },
        evalStage("random_init(tiny).pool", 20),
        evalStage("swav_tiny.pool", 20),
      ],
    },
    environment: { seer: "0.1.0", node: "v20.20.2", tfjs: "4.22.0", backend: "wasm", platform: "linux", arch: "x64", cpus: 2, hostname: "box" },
    git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false, root: "/home/me/project" },
    datasets: [{ name: "shapes", fingerprint: `sha256:${"c".repeat(64)}` }],
    seeds: { swav_tiny: 0, shapes: 1 },
    stages: [
      { id: `sha256:${"b".repeat(64)}`, name: "data/shapes", kind: "prepare-data", status: "cached", host: "local", seconds: 0, output_digest: `sha256:${"d".repeat(64)}`, started: null, finished: null },
      { id: `sha256:${"a".repeat(64)}`, name: "eval/quickstart/swav_tiny.pool/linear", kind: "linear-eval", status: "ran", host: "local", seconds: 12.5, output_digest: null, started: created, finished: created },
      { id: `sha256:${"e".repeat(64)}`, name: "eval/quickstart/random_init(tiny).pool/linear", kind: "linear-eval", status: "failed", host: "local", seconds: 1, output_digest: null, started: created, finished: created, error: "out of memory" },
    ],
    metrics: { quickstart: { "swav_tiny.pool": { "linear.top1": 41.25, "linear.top5": 88.5 }, "random_init(tiny).pool": { "linear.top1": 12.5, "linear.top5": 50 } } },
    metric_configs: { quickstart: { "swav_tiny.pool": { "linear.top1": "sha256:1", "linear.top5": "sha256:1" }, "random_init(tiny).pool": { "linear.top1": "sha256:2", "linear.top5": "sha256:2" } } },
    report: "report.html",
  };
}

/** A structured copy to change in one test without touching another's. */
export function copyRecord(r: RunRecord): RunRecord {
  return structuredClone(r);
}

export function tempDir(prefix = "seer-records-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
