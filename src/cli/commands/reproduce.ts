/**
 * `seer reproduce RECORD`: rerun a recorded run from scratch (its recipe sources are in the
 * record) in a fresh project folder, compare every metric within the tolerance, print the
 * table and what differs in the environment; exit 0 only if every metric holds.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { environmentFields } from "../../../runtime/records/diff.js";
import { EXIT, UsageError } from "../errors.js";
import type { ColorMode } from "../output.js";
import { runRun } from "./run.js";

export interface ReproduceOptions {
  tolerance: string[];
  backend?: string;
  /** `--engine` (else SEER_ENGINE, else tfjs). */
  engine?: string;
  json: boolean;
  color: ColorMode;
  workdir?: string;
  /** `--data NAME=PATH`: read dataset NAME from PATH instead of where the recorded run read it. */
  data?: string[];
}

function parseData(list: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of list) {
    const eq = d.indexOf("=");
    if (eq <= 0 || eq === d.length - 1) throw new UsageError(`\`--data ${d}\` is not NAME=PATH.`, "e.g. --data photos=/data/photos");
    out.set(d.slice(0, eq), path.resolve(d.slice(eq + 1)));
  }
  return out;
}

/** The `--only` selection of the recorded command (`--only X` or `--only=X`, repeatable). */
export function recordedSelection(command: readonly string[]): string[] {
  return command.flatMap((a, i) => (a === "--only" && command[i + 1] !== undefined ? [command[i + 1]!] : a.startsWith("--only=") ? [a.slice(7)] : []));
}

function parseTolerance(list: readonly string[]): number | Record<string, number> {
  if (list.length === 0) return 0.5;
  const out: Record<string, number> = {};
  for (const t of list) {
    const eq = t.indexOf("=");
    const [k, v] = eq > 0 ? [t.slice(0, eq), t.slice(eq + 1)] : ["*", t];
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`\`--tolerance ${t}\` is not a non-negative number of points.`, "e.g. --tolerance 0.5 or --tolerance linear.top1=1");
    out[k] = n;
  }
  return list.length === 1 && "*" in out ? out["*"]! : out;
}

/**
 * `--workdir` must be a new or empty folder: a reproduction starts from scratch (a project's
 * `.seer` store would answer every stage from its cache) and must never write over a user's
 * files (the project's own, possibly edited, recipe).
 */
function emptyWorkdir(dir: string): string {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`\`--workdir ${dir}\` is a file, not a folder.`, "name a new or empty folder, or leave --workdir out for a fresh temporary one");
    const there = readdirSync(dir);
    if (there.length > 0) throw new UsageError(`\`--workdir ${dir}\` is not empty (it holds ${there.slice(0, 3).join(", ")}${there.length > 3 ? ", ..." : ""}); a reproduction writes the recorded sources into a new project and reruns it from scratch.`, "name a new or empty folder, or leave --workdir out for a fresh temporary one");
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function runReproduce(recordPath: string, o: ReproduceOptions): Promise<number> {
  const tolerance = parseTolerance(o.tolerance);
  const dataPaths = parseData(o.data ?? []);
  const { readRecord } = await import("../../../runtime/records/store.js");
  const { compareMetrics, renderComparison } = await import("../../../runtime/records/compare.js");
  const rec = readRecord(recordPath);
  if (rec.status !== "succeeded") process.stderr.write(`warning: the recorded run ${rec.run_id} did not succeed (${rec.status})\n`);
  // A fresh project with the recorded sources: nothing cached, nothing from this checkout.
  const dir = o.workdir ? emptyWorkdir(path.resolve(o.workdir)) : mkdtempSync(path.join(tmpdir(), `seer-reproduce-${rec.run_id}-`));
  for (const s of rec.recipe.sources) {
    const target = path.resolve(dir, s.path);
    if (!target.startsWith(dir + path.sep)) throw new UsageError(`The record's source \`${s.path}\` points outside the project.`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, s.text, { flag: "wx" }); // never over a file that is there
  }
  const set = Object.entries(rec.recipe.params).map(([k, v]) => `${k}=${v}`);
  const only = recordedSelection(rec.command);
  // Data is read where the recorded run read it (relative paths from the recorded project), and must be the same data.
  const data = { dir: path.resolve(rec.project, path.dirname(rec.recipe.file)), paths: dataPaths, expect: new Map(rec.datasets.map((d) => [d.name, d.fingerprint])) };
  const cwd = process.cwd();
  process.stderr.write(`reproducing ${rec.run_id} in ${dir}\n`);
  process.chdir(dir);
  let outcome;
  try {
    outcome = await runRun(rec.recipe.file, { set, only, data, jobs: "1", failFast: true, keepGoing: false, json: false, color: o.color, runsDir: "runs", argv: ["reproduce", recordPath], ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}) });
  } finally {
    process.chdir(cwd);
  }
  const fresh = outcome.record;
  if (outcome.code !== EXIT.ok || !fresh) {
    process.stderr.write(`error: the rerun did not succeed (exit ${outcome.code})\n`);
    return EXIT.runtime;
  }
  const cmp = compareMetrics(rec.metrics, fresh.metrics, tolerance);
  const before = environmentFields(rec), after = environmentFields(fresh);
  const shown = (v: unknown): string => (v === undefined ? "none" : String(v));
  const env = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !k.startsWith("git.") && before[k] !== after[k]).map((k) => `${k}: ${shown(before[k])} -> ${shown(after[k])}`);
  if (o.json) process.stdout.write(`${JSON.stringify({ ok: cmp.ok, tolerance, rows: cmp.rows, environment: env, rerun: path.join(dir, outcome.runDir!) }, null, 2)}\n`);
  else {
    process.stdout.write(renderComparison(cmp));
    process.stdout.write(env.length > 0 ? `environment differences:\n${env.map((e) => `  ${e}\n`).join("")}` : "environment: same seer, Node, tfjs, backend and platform\n");
    process.stdout.write(`rerun: ${path.join(dir, outcome.runDir!)}\n`);
  }
  return cmp.ok ? EXIT.ok : EXIT.recipeErrors;
}
