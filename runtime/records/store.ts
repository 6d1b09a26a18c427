/**
 * Reading and writing run records. `writeRecord` writes `record.json` (2-space, keys in the
 * order of `RunRecord`) and `record.yaml` (the same data) atomically, after checking them
 * against the schema; `readRecord` reads either file, or a run directory, and checks it.
 */
import { mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";
import { RecordError } from "./errors.js";
import { RECORD_FILES, type RunRecord, type StageRecord } from "./record.js";
import { validateRecord } from "./validate.js";

/** Writes both files into `runDir` (created if needed); returns their paths. */
export function writeRecord(runDir: string, record: RunRecord): { json: string; yaml: string } {
  const json = path.join(runDir, RECORD_FILES[0]);
  const yaml = path.join(runDir, RECORD_FILES[1]);
  const text = `${JSON.stringify(orderRecord(record), null, 2)}\n`;
  // What is checked is what lands on disk (NaN, for one, would become null).
  const data = validateRecord(JSON.parse(text), json);
  mkdirSync(runDir, { recursive: true });
  writeFileAtomic(json, text);
  writeFileAtomic(yaml, stringifyYaml(data, { sortMapEntries: false, lineWidth: 0 }));
  return { json, yaml };
}

/** Reads and checks a record: a `record.json` or `record.yaml` path, or a run directory. */
export function readRecord(p: string): RunRecord {
  const file = recordFile(p);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new RecordError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return validateRecord(parseRecordText(file, text), file);
}

/** The record file for a path: the path itself, or the first record file in a directory. */
export function recordFile(p: string): string {
  let isDir = false;
  try {
    isDir = statSync(p).isDirectory();
  } catch {
    throw new RecordError(p, "does not exist");
  }
  if (!isDir) return p;
  for (const name of RECORD_FILES) {
    const f = path.join(p, name);
    try {
      if (statSync(f).isFile()) return f;
    } catch {
      // try the next name
    }
  }
  throw new RecordError(p, `holds no ${RECORD_FILES.join(" or ")}`);
}

function parseRecordText(file: string, text: string): unknown {
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message.split("\n", 1)[0] : String(e);
    throw new RecordError(file, `is not valid ${yaml ? "YAML" : "JSON"} (${detail})`);
  }
}

/**
 * The key order of each object, as `RunRecord` lists it. Typed as complete maps, so a field
 * added to the types without a place here fails to compile; unknown keys go last (and are
 * then rejected by the schema rather than dropped).
 */
type Order<T> = { [K in keyof Required<T>]: 0 };
type Recipe = RunRecord["recipe"];
const TOP: Order<RunRecord> = { format: 0, version: 0, run_id: 0, status: 0, created: 0, finished: 0, command: 0, project: 0, recipe: 0, graph: 0, environment: 0, git: 0, datasets: 0, seeds: 0, stages: 0, metrics: 0, metric_configs: 0, report: 0 };
const RECIPE: Order<Recipe> = { file: 0, params: 0, sources: 0, resolved: 0 };
const SOURCE: Order<Recipe["sources"][number]> = { path: 0, sha256: 0, text: 0 };
const ENVIRONMENT: Order<RunRecord["environment"]> = { seer: 0, node: 0, tfjs: 0, backend: 0, engine: 0, torch: 0, platform: 0, arch: 0, cpus: 0, hostname: 0 };
const GIT: Order<NonNullable<RunRecord["git"]>> = { commit: 0, dirty: 0, root: 0 };
const DATASET: Order<RunRecord["datasets"][number]> = { name: 0, fingerprint: 0, location: 0, images: 0 };
const STAGE: Order<StageRecord> = { id: 0, name: 0, kind: 0, engine: 0, world_size: 0, status: 0, host: 0, seconds: 0, output_digest: 0, started: 0, finished: 0, error: 0, unreadable: 0 };

function inOrder<T extends object>(o: T, order: Order<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of [...Object.keys(order).map((key) => [key, (o as Record<string, unknown>)[key]] as const), ...Object.entries(o)]) {
    if (v !== undefined && !(k in out)) out[k] = v;
  }
  return out as T;
}

/** A copy with keys in the documented order (maps such as `metrics` keep their own order). */
function orderRecord(r: RunRecord): RunRecord {
  const recipe: Recipe = { ...r.recipe, sources: r.recipe.sources.map((s) => inOrder(s, SOURCE)) };
  return inOrder(
    {
      ...r,
      recipe: inOrder(recipe, RECIPE),
      environment: inOrder(r.environment, ENVIRONMENT),
      git: r.git && inOrder(r.git, GIT),
      datasets: r.datasets.map((d) => inOrder(d, DATASET)),
      stages: r.stages.map((s) => inOrder(s, STAGE)),
    },
    TOP,
  );
}
