/**
 * Lowering: a checked recipe -> its execution graph. Every dataset of the root file becomes a `prepare-data` stage (so missing data is found before anything runs),
 * pretrainings `pretrain-swav`, each (suite row, dataset split) an `extract-features` stage
 * (pooled vectors; unpooled maps for copy detection),
 * each (suite row, eval) an eval stage, reports `report`. Ids are content hashes computed in
 * dependency order, so a change to any field reaches exactly the stages downstream of it.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Compilation } from "../compile.js";
import type { CheckedDecl } from "../check/checker.js";
import { isObject, pointer, type Json, type JsonObject } from "../check/json.js";
import { declName, resolvedName } from "../check/names.js";
import type { Resolved } from "../check/resolved.js";
import type { Module } from "../modules/load.js";
import type { DeclInfo } from "../resolve/scope.js";
import { canonicalJson, GRAPH_VERSION, type ExecGraph, type Stage, type StageKind } from "./graph.js";

type Draft = Omit<Stage, "id">;

const EVAL_KIND: Record<string, StageKind> = {
  linear_probe: "linear-eval",
  knn: "knn-eval",
  fairness: "fairness-eval",
  robustness: "robustness-eval",
  copy_detection: "copy-detection-eval",
};

class Lowering {
  readonly drafts = new Map<string, Draft>();
  constructor(
    private readonly c: Compilation,
    private readonly root: Module,
  ) {}

  private checked(d: DeclInfo): CheckedDecl {
    const x = this.c.check.decls.get(d);
    if (!x) throw new Error(`\`${d.name}\` was not checked`);
    return x;
  }

  /** Names as the root file writes them (`alias.name` for imported declarations). */
  nameOf(d: DeclInfo): string {
    return declName(d, this.root);
  }

  refName(r: Resolved): string {
    return resolvedName(r, this.root);
  }

  /** The checked value with every reference replaced by its global name. */
  config(d: CheckedDecl, value: Json = d.value, ptr = ""): Json {
    const r = d.refs.get(ptr);
    if (r) return this.refName(r);
    if (Array.isArray(value)) return value.map((v, i) => this.config(d, v, pointer(ptr, i)));
    if (isObject(value)) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.config(d, v, pointer(ptr, k));
      return out;
    }
    return value;
  }

  /** The stage `name`, made on first use: a suite reaches the same trunks and features from every eval, so configs are built once. */
  private once(name: string, make: () => Omit<Draft, "name">): string {
    if (!this.drafts.has(name)) this.drafts.set(name, { name, ...make() });
    return name;
  }

  private source(d: CheckedDecl): Stage["source"] {
    return { file: d.info.module.display, declaration: d.info.name };
  }

  data(ds: DeclInfo): string {
    return this.once(`data/${this.nameOf(ds)}`, () => {
      const d = this.checked(ds);
      const dir = moduleDir(this.root, d.info.module);
      const config: JsonObject = { constructor: d.ctor.name, fields: this.config(d), ...(dir ? { dir } : {}) };
      return { kind: "prepare-data", config, inputs: [], resources: { gpus: 0, cpu: true }, source: this.source(d) };
    });
  }

  pretrain(p: DeclInfo): string {
    return this.once(`pretrain/${this.nameOf(p)}`, () => {
      const d = this.checked(p);
      const model = d.refs.get("/model");
      const data = d.refs.get("/data");
      if (model?.k !== "decl" || !data || data.k === "param" || data.k === "tap") throw new Error(`\`${p.name}\` has unresolved references`);
      const cfg = this.config(d) as JsonObject;
      cfg["model"] = { name: this.nameOf(model.decl), regnet: this.config(this.checked(model.decl)) };
      const gpus = typeof d.value["gpus"] === "number" ? d.value["gpus"] : 1;
      return { kind: "pretrain-swav", config: cfg, inputs: [this.data(data.decl)], resources: { gpus, cpu: true }, source: this.source(d) };
    });
  }

  /** The trunk of a features row: a pretraining, or a model with random weights. */
  trunk(r: Resolved & { k: "tap" }): string {
    if (r.decl.kind === "pretrain" && !r.randomInit) return this.pretrain(r.decl);
    const modelDecl = r.decl.kind === "model" ? r.decl : (this.checked(r.decl).refs.get("/model") as { decl: DeclInfo }).decl;
    return this.once(`random-init/${this.nameOf(modelDecl)}`, () => {
      const m = this.checked(modelDecl);
      return { kind: "random-init", config: { model: { name: this.nameOf(modelDecl), regnet: this.config(m) }, seed: 0 }, inputs: [], resources: { gpus: 0, cpu: true }, source: this.source(m) };
    });
  }

  /**
   * Features of a row on a dataset split: pooled vectors (`features/ROW/DATA`), or with `map`
   * the unpooled feature maps copy detection pools itself (`maps/ROW/DATA`).
   */
  features(row: Resolved & { k: "tap" }, split: Resolved, from: CheckedDecl, map = false): string {
    if (split.k === "param" || split.k === "tap") throw new Error("features of a non-dataset");
    const rowName = this.refName(row);
    const dataName = this.refName(split);
    const output = map ? { map: true } : { pooling: { grid: [1, 1] } };
    return this.once(`${map ? "maps" : "features"}/${rowName}/${dataName}`, () => ({
      kind: "extract-features",
      config: { tap: row.tap, ...output, data: dataName, ...(split.k === "split" ? { split: split.split } : {}) },
      inputs: [this.trunk(row), this.data(split.decl)],
      resources: { gpus: 0, cpu: true },
      source: this.source(from),
    }));
  }

  /** Feature stages an evaluation reads, by role. */
  private evalInputs(row: Resolved & { k: "tap" }, e: CheckedDecl): Record<string, string> {
    const f = (ptr: string, owner: CheckedDecl = e, map = false) => {
      const r = owner.refs.get(ptr);
      return r ? this.features(row, r, e, map) : undefined;
    };
    const roles: Record<string, string | undefined> = {};
    const probe = e.refs.get("/probe");
    const probeOwner = probe?.k === "decl" ? this.checked(probe.decl) : e;
    const pp = probe?.k === "decl" ? "" : "/probe";
    switch (e.ctor.name) {
      case "linear_probe":
      case "knn":
        roles["train"] = f("/train");
        roles["test"] = f("/test");
        break;
      case "fairness":
        roles["train"] = f(`${pp}/train`, probeOwner);
        roles["test"] = e.refs.has("/test") ? f("/test") : f(`${pp}/test`, probeOwner);
        break;
      case "robustness": {
        roles["train"] = f(`${pp}/train`, probeOwner);
        const tests = Array.isArray(e.value["tests"]) ? e.value["tests"] : [];
        tests.forEach((_, i) => (roles[`test${i}`] = f(`/tests/${i}`)));
        break;
      }
      case "copy_detection":
        roles["data"] = f("/data", e, true);
        roles["whitening"] = f("/whitening/train", e, true);
        break;
    }
    return Object.fromEntries(Object.entries(roles).filter((x): x is [string, string] => x[1] !== undefined));
  }

  suite(s: CheckedDecl): string[] {
    const rows = (Array.isArray(s.value["features"]) ? s.value["features"] : []).map((_, i) => s.refs.get(`/features/${i}`)).filter((r): r is Resolved & { k: "tap" } => r?.k === "tap");
    const evals = (Array.isArray(s.value["evals"]) ? s.value["evals"] : []).map((_, i) => s.refs.get(`/evals/${i}`)).filter((r): r is Resolved & { k: "decl" } => r?.k === "decl");
    // An eval's settings are the same on every row: built once per eval.
    const settings = new Map<DeclInfo, JsonObject>();
    const settingsOf = (e: CheckedDecl): JsonObject => {
      let cfg = settings.get(e.info);
      if (!cfg) {
        cfg = this.config(e) as JsonObject;
        const probe = e.refs.get("/probe");
        if (probe?.k === "decl") cfg["probe"] = this.config(this.checked(probe.decl));
        settings.set(e.info, cfg);
      }
      return cfg;
    };
    const names: string[] = [];
    for (const row of rows) {
      for (const ev of evals) {
        const e = this.checked(ev.decl);
        names.push(
          this.once(`eval/${this.nameOf(s.info)}/${this.refName(row)}/${this.nameOf(ev.decl)}`, () => {
            const inputs = this.evalInputs(row, e);
            return {
              kind: EVAL_KIND[e.ctor.name] ?? "linear-eval",
              config: { eval: this.nameOf(ev.decl), row: this.refName(row), constructor: e.ctor.name, settings: settingsOf(e), roles: inputs },
              inputs: Object.values(inputs),
              resources: { gpus: 0, cpu: true },
              source: this.source(e),
            };
          }),
        );
      }
    }
    return names;
  }
}

function hashStage(d: Draft, inputIds: string[], seer: string): string {
  return `sha256:${createHash("sha256").update(canonicalJson({ kind: d.kind, config: d.config, inputs: inputIds, seer })).digest("hex")}`;
}

/**
 * Where a dataset's relative paths start: the folder of the module that declares it, as a
 * `/`-separated path from the root recipe's folder; undefined for the root's own folder (so the
 * stage ids of datasets declared there do not depend on it).
 */
function moduleDir(root: Module, m: Module): string | undefined {
  const rel = path.relative(path.dirname(root.id), path.dirname(m.id));
  return rel === "" ? undefined : rel.split(path.sep).join("/");
}

export function lowerRecipe(c: Compilation, root: Module, seer: string): ExecGraph {
  const l = new Lowering(c, root);
  const rootDecls = [...c.check.decls.values()].filter((d) => d.info.module === root);
  for (const d of rootDecls) if (d.kind === "dataset") l.data(d.info);
  for (const d of rootDecls) if (d.kind === "pretrain") l.pretrain(d.info);
  const suiteStages = new Map<DeclInfo, string[]>();
  for (const d of rootDecls) if (d.kind === "suite") suiteStages.set(d.info, l.suite(d));
  for (const d of rootDecls) {
    if (d.kind !== "report") continue;
    const s = d.refs.get("/suite");
    const inputs = s?.k === "decl" ? suiteStages.get(s.decl) ?? [] : [];
    l.drafts.set(`report/${d.info.name}`, { name: `report/${d.info.name}`, kind: "report", config: l.config(d) as JsonObject, inputs, resources: { gpus: 0, cpu: true }, source: { file: root.display, declaration: d.info.name } });
  }
  // Ids in dependency order (inputs first); stages listed sorted by name.
  const ids = new Map<string, string>();
  const idOf = (name: string, seen: Set<string>): string => {
    const known = ids.get(name);
    if (known) return known;
    if (seen.has(name)) throw new Error(`cycle through ${name}`);
    seen.add(name);
    const d = l.drafts.get(name)!;
    const id = hashStage(d, d.inputs.map((i) => idOf(i, seen)), seer);
    ids.set(name, id);
    return id;
  };
  const stages: Stage[] = [...l.drafts.values()].map((d) => ({ id: idOf(d.name, new Set()), ...d })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { version: GRAPH_VERSION, seer, recipe: root.display, stages };
}
