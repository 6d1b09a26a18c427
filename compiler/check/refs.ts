/**
 * Reference resolution: `name`, `alias.name`, `dataset.split`, `trunk.tap`,
 * `random_init(model).tap` (or `random_init(pretraining).tap`: its model with random
 * weights), checked against what the field accepts.
 */
import { importHint } from "./import-hint.js";
import type * as A from "../../grammar/ast.js";
import { diag, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import type { Hints } from "../../core/diagnostics/hints.js";
import { capList, didYouMean, orList } from "../../core/diagnostics/suggest.js";
import type { Module } from "../modules/load.js";
import type { DeclInfo, Scope } from "../resolve/scope.js";
import { scopeNames } from "../resolve/scope-names.js";
import type { DeclKind, RefTarget } from "../types/desc.js";
import { describeRefTarget } from "./describe.js";
import type { Resolved } from "./resolved.js";

export interface MemberInfo {
  /** Split names of a dataset (undefined: the dataset could not be checked). */
  splitsOf(decl: DeclInfo): ReadonlySet<string> | undefined;
  /** Feature taps of a model or pretraining (a pretraining's are its model's; undefined: unknown). */
  tapsOf(decl: DeclInfo): string[] | undefined;
  /** The model a pretraining trains (undefined: unknown). */
  modelOf(decl: DeclInfo): DeclInfo | undefined;
  scopeOf(mod: Module): Scope;
}

const KIND_NOUN: Record<DeclKind, string> = {
  dataset: "a dataset",
  model: "a model",
  pretrain: "a pretraining",
  eval: "an evaluation",
  suite: "a suite",
  report: "a report",
};

export class RefResolution {
  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly hints: Hints,
    private readonly info: MemberInfo,
  ) {}

  resolve(v: A.RefValue | A.CallValue, to: readonly RefTarget[], scope: Scope, path: string[]): Resolved | undefined {
    if (v.kind === "call") return this.call(v, to, scope, path);
    const [head, ...rest] = v.path;
    if (!head) return undefined;
    const sym = scope.symbols.get(head.name);
    if (!sym) {
      const kinds = targetKinds(to);
      const help = importHint(head.name, rest.length > 0) ?? this.hints.didYouMean(head.span.file, head.name, () => scopeNames(scope, { kinds, imports: true }));
      this.diagnostics.push(diag("UnknownName", head.span, { what: nounFor(to), name: head.name }, { path, ...(help ? { help } : {}) }));
      return undefined;
    }
    if (sym.k === "param") return this.wrong(v, "a parameter", to, path);
    let decl: DeclInfo;
    let members: A.Ident[];
    if (sym.k === "import") {
      scope.usedImports.add(head.name);
      const mod = sym.binding.module;
      if (!mod) return undefined;
      const name = rest[0];
      if (!name) return this.wrong(v, "a module", to, path);
      const target = this.info.scopeOf(mod).symbols.get(name.name);
      if (target?.k !== "decl") {
        const help = this.hints.didYouMean(name.span.file, name.name, () => scopeNames(this.info.scopeOf(mod), { decls: true }));
        this.diagnostics.push(diag("UnknownMember", name.span, { module: head.name, name: name.name }, { path, ...(help ? { help } : {}) }));
        return undefined;
      }
      decl = target.decl;
      members = rest.slice(1);
    } else {
      decl = sym.decl;
      members = rest;
    }
    return this.member(v, decl, members, to, path, false);
  }

  private call(v: A.CallValue, to: readonly RefTarget[], scope: Scope, path: string[]): Resolved | undefined {
    if (v.callee.name !== "random_init") {
      const help = didYouMean(v.callee.name, ["random_init"]);
      this.diagnostics.push(diag("UnknownName", v.callee.span, { what: "function", name: v.callee.name }, { path, ...(help ? { help } : {}) }));
      return undefined;
    }
    const arg = v.args[0];
    if (v.args.length !== 1 || !arg || arg.kind !== "ref") {
      this.diagnostics.push(diag("TypeMismatch", v.span, { field: "random_init", expected: "one model reference (`random_init(trunk)`)", found: `${v.args.length} argument(s)` }, { path }));
      return undefined;
    }
    // A pretraining stands for its model: `random_init(p)` is `p`'s model with random weights.
    const model = this.resolve(arg, ["model", "pretrain"], scope, path);
    if (!model || model.k !== "decl") return undefined;
    return this.member(v, model.decl, v.member, to, path, true);
  }

  private member(v: A.Value, decl: DeclInfo, members: A.Ident[], to: readonly RefTarget[], path: string[], randomInit: boolean): Resolved | undefined {
    const [m, ...extra] = members;
    if (extra.length > 0) {
      this.diagnostics.push(diag("UnknownMember", extra[0]!.span, { module: decl.name, name: extra.map((e) => e.name).join(".") }, { path }));
      return undefined;
    }
    if (!m) {
      if (randomInit || !(to as string[]).includes(decl.kind)) {
        return this.wrong(v, randomInit ? "a randomly initialised model" : `${KIND_NOUN[decl.kind]} (\`${decl.name}\`)`, to, path, decl);
      }
      return { k: "decl", decl };
    }
    if (decl.kind === "dataset" && !randomInit) {
      if (!to.includes("split")) return this.wrong(v, "a dataset split", to, path);
      const splits = this.info.splitsOf(decl);
      if (splits && !splits.has(m.name)) {
        const help = splits.size === 0 ? `\`${decl.name}\` declares no \`splits\`` : this.hints.didYouMean(m.span.file, m.name, () => splits) ?? `its splits are ${orList(capList(splits), "and")}`;
        this.diagnostics.push(diag("UnknownSplit", m.span, { dataset: decl.name, name: m.name }, { path, help }));
        return undefined;
      }
      return { k: "split", decl, split: m.name };
    }
    if (decl.kind === "model" || decl.kind === "pretrain") {
      if (!to.includes("features")) return this.wrong(v, "a feature tap", to, path);
      const taps = this.info.tapsOf(decl);
      if (taps && !taps.includes(m.name)) {
        const model = decl.kind === "pretrain" ? this.info.modelOf(decl) : undefined;
        const whose = model ? `\`${decl.name}\` trains \`${model.name}\`, whose taps` : "its taps";
        const help = didYouMean(m.name, taps) ?? `${whose} are ${orList(taps.map((s) => `\`${s}\``), "and")}`;
        this.diagnostics.push(diag("UnknownTap", m.span, { model: decl.name, name: m.name }, { path, help }));
        return undefined;
      }
      return { k: "tap", decl, tap: m.name, randomInit };
    }
    this.diagnostics.push(diag("UnknownMember", m.span, { module: decl.name, name: m.name }, { path }));
    return undefined;
  }

  private wrong(v: A.Value, actual: string, to: readonly RefTarget[], path: string[], decl?: DeclInfo): undefined {
    const name = v.kind === "ref" ? v.path.map((i) => i.name).join(".") : v.kind === "call" ? `${v.callee.name}(...)` : "value";
    const help = decl && (decl.kind === "model" || decl.kind === "pretrain") && to.includes("features") ? `pick a feature tap, for example \`${name}.pool\`` : undefined;
    this.diagnostics.push(diag("WrongKind", v.span, { name, actual, expected: orList(to.map(describeRefTarget)) }, { path, ...(help ? { help } : {}) }));
    return undefined;
  }
}

function targetKinds(to: readonly RefTarget[]): DeclKind[] {
  const kinds = new Set<DeclKind>();
  for (const t of to) {
    if (t === "split" || t === "dataset") kinds.add("dataset");
    else if (t === "features") {
      kinds.add("pretrain");
      kinds.add("model");
    } else kinds.add(t);
  }
  return [...kinds];
}

function nounFor(to: readonly RefTarget[]): string {
  const kinds = targetKinds(to);
  return orList(kinds.map((k) => KIND_NOUN[k].replace(/^an? /, ""))) || "declaration";
}

