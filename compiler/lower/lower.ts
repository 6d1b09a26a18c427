/**
 * Lowering: a checked recipe -> its execution graph of typed stage specs (contract/). Every
 * dataset of the root file becomes a `prepare-data` stage (so missing data is found before
 * anything runs), pretrainings `pretrain-swav`, each (suite row, dataset split) an
 * `extract-features` stage (pooled vectors; unpooled maps for copy detection), each (suite row,
 * eval) an eval stage, reports `report`. Ids are content hashes computed in dependency order, so
 * a change to any field reaches exactly the stages downstream of it.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { GRAPH_VERSION, type ExecGraph, type Stage } from "../../contract/graph.js";
import { evalKindOf } from "../../contract/kinds.js";
import type { DataRefSpec, ModelSpec, ProbeSpec } from "../../contract/specs.js";
import { canonicalJson, type JsonObject } from "../../core/json.js";
import type { Compilation } from "../compile.js";
import type { CheckedDecl } from "../check/checker.js";
import { declName, resolvedName } from "../check/names.js";
import type { Resolved } from "../check/resolved.js";
import { regnetParams } from "../check/rules/regnet.js";
import type { Module } from "../modules/load.js";
import { modelSpecFromParams } from "../regnet/model-spec.js";
import type { DeclInfo } from "../resolve/scope.js";
import { datasetSpec } from "./datasets.js";
import { bool, duration, list, LoweringError, num, obj, optimizer, range, schedule, sgdOptimizer, str, strings } from "./units.js";

/** A stage before its id is known (Omit distributed over the kinds, so `kind` still narrows `spec`). */
type Draft = Stage extends infer S ? (S extends Stage ? Omit<S, "id"> : never) : never;
type Tap = Resolved & { k: "tap" };
const CPU = { gpus: 0, cpu: true };

class Lowering {
  readonly drafts = new Map<string, Draft>();
  constructor(
    private readonly c: Compilation,
    private readonly root: Module,
  ) {}

  private checked(d: DeclInfo): CheckedDecl {
    const x = this.c.check.decls.get(d);
    if (!x) throw new LoweringError(`\`${d.name}\` was not checked`);
    return x;
  }

  /** Names as the root file writes them (`alias.name` for imported declarations). */
  nameOf(d: DeclInfo): string {
    return declName(d, this.root);
  }

  refName(r: Resolved): string {
    return resolvedName(r, this.root);
  }

  /** The stage `name`, made on first use: a suite reaches the same trunks and features from every eval, so specs are built once. */
  private once(name: string, make: () => Omit<Draft, "name">): string {
    if (!this.drafts.has(name)) this.drafts.set(name, { name, ...make() } as Draft);
    return name;
  }

  private source(d: CheckedDecl): Stage["source"] {
    return { file: d.info.module.display, declaration: d.info.name };
  }

  private ref(d: CheckedDecl, ptr: string): Resolved {
    const r = d.refs.get(ptr);
    if (!r) throw new LoweringError(`\`${d.info.name}\` has no reference at ${ptr}`);
    return r;
  }

  data(ds: DeclInfo): string {
    return this.once(`data/${this.nameOf(ds)}`, () => {
      const d = this.checked(ds);
      const spec = datasetSpec(this.nameOf(ds), moduleDir(this.root, d.info.module), d.ctor.name, d.value);
      return { kind: "prepare-data", spec, inputs: [], resources: CPU, source: this.source(d) };
    });
  }

  /** A reference to a dataset or one of its splits, as a stage reads it. */
  dataRef(r: Resolved): DataRefSpec {
    if (r.k !== "decl" && r.k !== "split") throw new LoweringError("not a dataset reference");
    return { ref: this.refName(r), stage: this.data(r.decl), split: r.k === "split" ? r.split : null };
  }

  model(m: DeclInfo): ModelSpec {
    const v = this.checked(m).value;
    return modelSpecFromParams(this.nameOf(m), regnetParams(v), num(v["input"], "input"));
  }

  private modelOf(p: CheckedDecl): DeclInfo {
    const r = this.ref(p, "/model");
    if (r.k !== "decl") throw new LoweringError(`\`${p.info.name}\`.model is not a declaration`);
    return r.decl;
  }

  pretrain(p: DeclInfo): string {
    return this.once(`pretrain/${this.nameOf(p)}`, () => {
      const d = this.checked(p);
      const v = d.value;
      const data = this.dataRef(this.ref(d, "/data"));
      const batch = num(v["batch"], "batch");
      const aug = obj(v["augment"], "augment");
      const sk = obj(v["sinkhorn"], "sinkhorn");
      const queue = obj(v["queue"], "queue");
      const head = obj(v["head"], "head");
      const ck = obj(v["checkpoint"], "checkpoint");
      const precision = v["precision"] === "mixed" ? "mixed" : "fp32";
      const engine = v["engine"] === "torch" || v["engine"] === "tfjs" ? v["engine"] : null;
      return {
        kind: "pretrain-swav",
        spec: {
          model: this.model(this.modelOf(d)),
          data,
          crops: list(v["crops"], "crops").map((c, i) => {
            const o = obj(c, `crops[${i}]`);
            return { count: num(o["count"], "count"), size: num(o["size"], "size"), scale: range(o["scale"], "scale") };
          }),
          augment: {
            flip: num(aug["flip"], "flip"), rotate: num(aug["rotate"], "rotate"), jitter: num(aug["jitter"], "jitter"), strength: num(aug["strength"], "strength"),
            grayscale: num(aug["grayscale"], "grayscale"), blur: num(aug["blur"], "blur"), blur_sigma: range(aug["blur_sigma"], "blur_sigma"),
          },
          head: { dims: list(head["dims"], "dims").map((x) => num(x, "dims")), batch_norm: bool(head["batch_norm"], "batch_norm") },
          prototypes: num(v["prototypes"], "prototypes"),
          temperature: num(v["temperature"], "temperature"),
          sinkhorn: { iterations: num(sk["iterations"], "iterations"), epsilon: num(sk["epsilon"], "epsilon") },
          queue: { length: num(queue["length"], "queue.length"), start: duration(queue["start"], "queue.start") },
          freeze_prototypes: duration(v["freeze_prototypes"], "freeze_prototypes"),
          optimizer: optimizer(v["optimizer"], batch, "optimizer"),
          schedule: schedule(v["schedule"], batch, "schedule"),
          batch,
          duration: duration(v["duration"], "duration"),
          precision,
          sharding: v["sharding"] === "full" ? "full" : "none",
          activation_checkpointing: bool(v["activation_checkpointing"], "activation_checkpointing"),
          engine,
          seed: num(v["seed"], "seed"),
          checkpoint: { every: duration(ck["every"], "checkpoint.every"), keep: num(ck["keep"], "checkpoint.keep") },
        },
        inputs: [data.stage],
        resources: { gpus: num(v["gpus"], "gpus"), cpu: true },
        source: this.source(d),
      };
    });
  }

  /** The trunk of a features row: a pretraining, or a model with random weights. */
  trunk(r: Tap): { stage: string; model: ModelSpec } {
    if (r.decl.kind === "pretrain" && !r.randomInit) {
      const p = this.checked(r.decl);
      return { stage: this.pretrain(r.decl), model: this.model(this.modelOf(p)) };
    }
    const modelDecl = r.decl.kind === "model" ? r.decl : this.modelOf(this.checked(r.decl));
    const model = this.model(modelDecl);
    const stage = this.once(`random-init/${this.nameOf(modelDecl)}`, () => ({ kind: "random-init", spec: { model, seed: 0 }, inputs: [], resources: CPU, source: this.source(this.checked(modelDecl)) }));
    return { stage, model };
  }

  /**
   * Features of a row on a dataset split: pooled vectors (`features/ROW/DATA`), or with `map`
   * the unpooled feature maps copy detection pools itself (`maps/ROW/DATA`).
   */
  features(row: Tap, split: Resolved, from: CheckedDecl, map = false): string {
    const data = this.dataRef(split);
    return this.once(`${map ? "maps" : "features"}/${this.refName(row)}/${data.ref}`, () => {
      const trunk = this.trunk(row);
      const ds = this.drafts.get(data.stage);
      const size = ds?.kind === "prepare-data" && ds.spec.kind === "synthetic" ? ds.spec.size : trunk.model.input_size;
      return {
        kind: "extract-features",
        spec: { trunk: trunk.stage, tap: row.tap, data, image_size: size, output: map ? "map" : "pooled" },
        inputs: [trunk.stage, data.stage],
        resources: CPU,
        source: this.source(from),
      };
    });
  }

  private probe(v: JsonObject): ProbeSpec {
    const batch = num(v["batch"], "probe.batch");
    return { epochs: num(v["epochs"], "probe.epochs"), batch, optimizer: sgdOptimizer(v["optimizer"], batch, "probe.optimizer"), schedule: schedule(v["schedule"], batch, "probe.schedule"), seed: num(v["seed"], "probe.seed") };
  }

  /** The probe of a fairness or robustness eval: a `linear_probe` declaration, or inline; its value and where its references live. */
  private probeOf(e: CheckedDecl): { owner: CheckedDecl; ptr: string; value: JsonObject } {
    const r = e.refs.get("/probe");
    if (r?.k === "decl") {
      const owner = this.checked(r.decl);
      return { owner, ptr: "", value: owner.value };
    }
    return { owner: e, ptr: "/probe", value: obj(e.value["probe"], "probe") };
  }

  private evalStage(row: Tap, e: CheckedDecl): Omit<Draft, "name"> {
    const kind = evalKindOf(e.ctor.name);
    if (!kind) throw new LoweringError(`no stage runs \`${e.ctor.name}\` evaluations`);
    const f = (owner: CheckedDecl, ptr: string, map = false) => this.features(row, this.ref(owner, ptr), e, map);
    const common = { eval: this.nameOf(e.info), row: this.refName(row) };
    const v = e.value;
    const base = { resources: CPU, source: this.source(e) };
    switch (kind) {
      case "linear-eval": {
        const inputs = { train: f(e, "/train"), test: f(e, "/test") };
        return { ...base, kind, spec: { ...common, probe: this.probe(v), inputs }, inputs: [inputs.train, inputs.test] };
      }
      case "knn-eval": {
        const inputs = { train: f(e, "/train"), test: f(e, "/test") };
        return { ...base, kind, spec: { ...common, k: num(v["k"], "k"), temperature: num(v["temperature"], "temperature"), inputs }, inputs: [inputs.train, inputs.test] };
      }
      case "fairness-eval": {
        const p = this.probeOf(e);
        const inputs = { train: f(p.owner, `${p.ptr}/train`), test: e.refs.has("/test") ? f(e, "/test") : f(p.owner, `${p.ptr}/test`) };
        return { ...base, kind, spec: { ...common, probe: this.probe(p.value), group_by: strings(v["group_by"], "group_by"), inputs }, inputs: [inputs.train, inputs.test] };
      }
      case "robustness-eval": {
        const p = this.probeOf(e);
        const inputs = { train: f(p.owner, `${p.ptr}/train`), tests: list(v["tests"], "tests").map((_, i) => f(e, `/tests/${i}`)) };
        return { ...base, kind, spec: { ...common, probe: this.probe(p.value), inputs }, inputs: [inputs.train, ...inputs.tests.filter((t) => t !== inputs.train)] };
      }
      case "copy-detection-eval": {
        const w = v["whitening"];
        const wo = w === undefined || w === null ? null : obj(w, "whitening");
        const inputs = { data: f(e, "/data", true), whitening: e.refs.has("/whitening/train") ? f(e, "/whitening/train", true) : null };
        return {
          ...base,
          kind,
          spec: { ...common, pooling: v["pooling"] === "gem" ? "gem" : "rmac", levels: num(v["levels"], "levels"), whitening: wo ? { dims: num(wo["dims"], "whitening.dims") } : null, metric: "map", inputs },
          inputs: inputs.whitening ? [inputs.data, inputs.whitening] : [inputs.data],
        };
      }
    }
  }

  suite(s: CheckedDecl): string[] {
    const rows = list(s.value["features"] ?? [], "features").map((_, i) => s.refs.get(`/features/${i}`)).filter((r): r is Tap => r?.k === "tap");
    const evals = list(s.value["evals"] ?? [], "evals").map((_, i) => s.refs.get(`/evals/${i}`)).filter((r): r is Resolved & { k: "decl" } => r?.k === "decl");
    const names: string[] = [];
    for (const row of rows) {
      for (const ev of evals) {
        const e = this.checked(ev.decl);
        names.push(this.once(`eval/${this.nameOf(s.info)}/${this.refName(row)}/${this.nameOf(ev.decl)}`, () => this.evalStage(row, e)));
      }
    }
    return names;
  }

  report(d: CheckedDecl, suiteStages: ReadonlyMap<DeclInfo, string[]>): void {
    const s = d.refs.get("/suite");
    const evals = s?.k === "decl" ? suiteStages.get(s.decl) ?? [] : [];
    const v = d.value;
    const format = v["format"] === "markdown" || v["format"] === "json" ? v["format"] : "html";
    const plots = strings(v["plots"], "plots").filter((p): p is "pretrain_loss" | "pretrain_lr" | "eval_scores" => p === "pretrain_loss" || p === "pretrain_lr" || p === "eval_scores");
    const name = `report/${d.info.name}`;
    this.drafts.set(name, { name, kind: "report", spec: { suite: s?.k === "decl" ? this.nameOf(s.decl) : str(v["suite"], "suite"), format, plots, evals }, inputs: evals, resources: CPU, source: { file: this.root.display, declaration: d.info.name } });
  }
}

function hashStage(d: Draft, inputIds: string[], seer: string): string {
  return `sha256:${createHash("sha256").update(canonicalJson({ kind: d.kind, spec: d.spec, inputs: inputIds, seer })).digest("hex")}`;
}

/**
 * Where a dataset's relative paths start: the folder of the module that declares it, as a
 * `/`-separated path from the root recipe's folder; "" for the root's own folder.
 */
function moduleDir(root: Module, m: Module): string {
  const rel = path.relative(path.dirname(root.id), path.dirname(m.id));
  return rel.split(path.sep).join("/");
}

export function lowerRecipe(c: Compilation, root: Module, seer: string): ExecGraph {
  const l = new Lowering(c, root);
  const rootDecls = [...c.check.decls.values()].filter((d) => d.info.module === root);
  for (const d of rootDecls) if (d.kind === "dataset") l.data(d.info);
  for (const d of rootDecls) if (d.kind === "pretrain") l.pretrain(d.info);
  const suiteStages = new Map<DeclInfo, string[]>();
  for (const d of rootDecls) if (d.kind === "suite") suiteStages.set(d.info, l.suite(d));
  for (const d of rootDecls) if (d.kind === "report") l.report(d, suiteStages);
  // Ids in dependency order (inputs first); stages listed sorted by name.
  const ids = new Map<string, string>();
  const idOf = (name: string, seen: Set<string>): string => {
    const known = ids.get(name);
    if (known) return known;
    if (seen.has(name)) throw new LoweringError(`cycle through ${name}`);
    seen.add(name);
    const d = l.drafts.get(name);
    if (!d) throw new LoweringError(`no stage ${name}`);
    const id = hashStage(d, d.inputs.map((i) => idOf(i, seen)), seer);
    ids.set(name, id);
    return id;
  };
  const stages = [...l.drafts.values()].map((d) => ({ ...d, id: idOf(d.name, new Set()) }) as Stage).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { version: GRAPH_VERSION, seer, recipe: root.display, stages };
}
