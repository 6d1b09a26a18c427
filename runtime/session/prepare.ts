/**
 * The first half of a run session, and all that `plan` and `why` need: fingerprint the graph's
 * datasets (a missing or empty dataset is reported here, before anything runs), choose the
 * backend and the engine (for torch, the interpreter that has it), key every stage and decide
 * run or cached.
 */
import path from "node:path";
import type { ExecGraph, Stage } from "../../contract/graph.js";
import { selectBackend, type BackendInfo } from "../backend/select.js";
import type { SkippedLink } from "../data/errors.js";
import { declaredSizes, planDataset } from "../data/plan-sizes.js";
import { dataStageRef } from "../exec/executors/data-ref.js";
import { EngineUnavailableError, resolveEngine, resolveNodes, resolveProcs, runsOnEngine, worldOf, type EngineChoice } from "../engines/engine.js";
import { describeMissing, findTorch, TORCH_INSTALL_HINT, type TorchProbe } from "../engines/torch/python.js";
import { stageKeys } from "../exec/keys.js";
import { planGraph, type Decision } from "../exec/plan.js";
import { Store } from "../exec/store.js";
import type { Tf } from "../tfjs/tf.js";

export interface Prepared {
  graph: ExecGraph;
  /** The root recipe's folder. */
  baseDir: string;
  fingerprints: Map<string, string>;
  /** Where each data stage's data lies: the absolute folder (image folder, copy-detection set) or manifest file; null for synthetic data. */
  locations: Map<string, string | null>;
  backend: { tf: Tf; info: BackendInfo };
  /** The engine the run asked for (stages it cannot run stay on tfjs) and, when torch runs a stage here, its probe. */
  engine: { choice: EngineChoice; torch: TorchProbe | null };
  keys: Map<string, string>;
  plan: Decision[];
  store: Store;
  /** Images per dataset reference (`shapes`, `shapes.train`), for estimates. */
  sizes: Map<string, number>;
  /** Stages that need more accelerators than this host has. */
  infeasible: string[];
  /** Datasets whose folders hold symbolic links that were not followed (a loop, or images read already). */
  links: DataLinks[];
  /** Datasets that could not be read, when the preparation is for a plan (`allowAbsentData`): sizes are then the declared ones. */
  absent: DataProblem[];
}

/** The links a data stage's walk did not follow, and the dataset root they are shown relative to. */
export interface DataLinks {
  stage: string;
  source: Stage["source"];
  root: string;
  links: readonly SkippedLink[];
}

export interface PrepareOptions {
  /** The root recipe's folder: relative dataset paths start there. */
  baseDir: string;
  /** This seer's version (part of every plan reason and index entry). */
  seer: string;
  /** A backend name (else `SEER_BACKEND`, else `auto`). */
  backend?: string;
  /** An engine name (else `SEER_ENGINE`, else `tfjs`); an unknown one throws EngineNameError. */
  engine?: string;
  /** Whether torch stages may run on this machine, so torch must be here (false when only remote hosts run them). Default true. */
  torchHere?: boolean;
  /** The folder holding `.seer/` (default: the working directory). */
  projectDir?: string;
  /** A plan: a dataset that cannot be read is listed in `absent` (its declared `images`, if any, is its size) instead of stopping the preparation. */
  allowAbsentData?: boolean;
  /** A plan for named accelerators (`--hardware`): every stage is taken to get the GPUs it asks for, so this host's count is not checked. */
  assumeAccelerators?: boolean;
}

/** A dataset that cannot be read at plan time: its stage, the declaration it comes from, and the `DataError`. */
export interface DataProblem {
  stage: string;
  source: Stage["source"];
  error: Error;
}

/** The prepared run, or the data problems found (every other error is thrown). */
export type Preparation = { prepared: Prepared } | { problems: DataProblem[] };

const isDataError = (e: unknown): e is Error => e instanceof Error && e.name === "DataError";

/** The run's engine; when torch runs a stage here (chosen, or pinned by the recipe), the interpreter (none: EngineUnavailableError). */
async function chooseEngine(graph: ExecGraph, o: PrepareOptions): Promise<Prepared["engine"]> {
  const name = resolveEngine(o.engine);
  const onTorch = graph.stages.some((s) => runsOnEngine(s, name) === "torch");
  const procs = onTorch ? resolveProcs() : undefined;
  const nodes = onTorch ? resolveNodes() : undefined;
  const withProcs = { ...(procs !== undefined ? { procs } : {}), ...(nodes !== undefined ? { nodes } : {}) };
  if (!onTorch || o.torchHere === false) return { choice: { name, ...withProcs }, torch: null };
  const r = await findTorch();
  if (!r.found) throw new EngineUnavailableError(`the torch engine needs a Python interpreter with torch 1.13 or newer, and none was found (tried ${describeMissing(r.missing)})`, TORCH_INSTALL_HINT);
  return { choice: { name, python: r.probe.python, ...withProcs }, torch: r.probe };
}

export async function prepareRun(graph: ExecGraph, o: PrepareOptions): Promise<Preparation> {
  const { baseDir } = o;
  const engine = await chooseEngine(graph, o);
  const fingerprints = new Map<string, string>();
  const locations = new Map<string, string | null>();
  const sizes = new Map<string, number>();
  const problems: DataProblem[] = [];
  const links: DataLinks[] = [];
  for (const s of graph.stages.filter((x) => x.kind === "prepare-data")) {
    const ref = dataStageRef(baseDir, s);
    try {
      const ds = await planDataset(ref.spec, { baseDir: ref.baseDir, verify: false, fingerprint: { cacheFile: path.join(o.projectDir ?? ".", ".seer", "cache", "fingerprints.json") } });
      fingerprints.set(s.name, ds.fingerprint);
      locations.set(s.name, ds.location);
      if (ds.links.length > 0) links.push({ stage: s.name, source: s.source, root: ds.location ?? baseDir, links: ds.links });
      const name = s.name.replace(/^data\//, "");
      if (ds.images !== undefined) sizes.set(name, ds.images);
      for (const [split, n] of Object.entries(ds.splits)) sizes.set(`${name}.${split}`, n);
    } catch (e) {
      if (!isDataError(e)) throw e;
      problems.push({ stage: s.name, source: s.source, error: e });
      if (o.allowAbsentData) addDeclaredSizes(s, sizes);
    }
  }
  if (problems.length > 0 && !o.allowAbsentData) return { problems };
  const backend = await selectBackend(o.backend ? { backend: o.backend } : {});
  const keys = stageKeys(graph, fingerprints, backend.info.name, engine.choice.name, worldOf(engine.choice));
  const store = new Store(o.projectDir ?? ".");
  const plan = planGraph(graph, { keys, store, seer: o.seer, backend: backend.info.name, engine: engine.choice.name, fingerprints });
  const absentStages = new Set(problems.map((x) => x.stage));
  for (const d of plan) if (absentStages.has(d.stage.name)) Object.assign(d, { action: "run", reasons: ["data not on this machine"] });
  const gpus = backend.info.name === "tensorflow-gpu" ? 1 : 0;
  const accelerators = Math.max(1, gpus);
  const infeasible = graph.stages.filter((s) => !o.assumeAccelerators && s.resources.gpus > accelerators).map((s) => `${s.name} needs ${s.resources.gpus} accelerators; this host has ${accelerators}${gpus === 0 ? " (its CPU pool counts as one)" : ""}`);
  const nodes = engine.choice.nodes ?? 1;
  if (nodes > 1) for (const s of graph.stages.filter((x) => runsOnEngine(x, engine.choice.name) === "torch")) infeasible.push(`${s.name} asks for a torch process group across ${nodes} hosts (--nnodes); that needs ${nodes} SSH hosts of an inventory (--hosts) that run torch, and this run has none`);
  return { prepared: { graph, baseDir, fingerprints, locations, sizes, backend, engine, keys, plan, store, infeasible, links, absent: problems } };
}

/** The sizes a dataset declares (`images`, and its percentage splits' shares of it), for a plan made without its data. */
function addDeclaredSizes(s: Stage, sizes: Map<string, number>): void {
  if (s.kind !== "prepare-data") return;
  const declared = declaredSizes(s.spec);
  if (declared === null) return;
  const name = s.name.replace(/^data\//, "");
  sizes.set(name, declared.images);
  for (const [split, n] of Object.entries(declared.splits)) sizes.set(`${name}.${split}`, n);
}
