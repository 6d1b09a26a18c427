/**
 * The type checker: derives, projects, validates (ajv), fills defaults and applies the
 * domain rules to every declaration of every loaded module. Declarations are checked on
 * demand and memoised, because references need facts about their targets (a dataset's
 * splits, a model's feature taps).
 */
import type * as A from "../../grammar/ast.js";
import { diag, hasErrors, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { Hints } from "../../core/diagnostics/hints.js";
import type { Module, Program } from "../modules/load.js";
import type { DeclInfo, ParamInfo, Scope } from "../resolve/scope.js";
import { buildScopes } from "../resolve/scope.js";
import { validateDecl } from "../schema/validate.js";
import type { ConstructorDef, DeclKind, TypeDesc } from "../types/desc.js";
import { applyDefaults } from "./defaults.js";
import { derive } from "./derive.js";
import type { JsonObject, SpanMap } from "../../core/json.js";
import { Projector, type RefResolver } from "./project.js";
import { RefResolution } from "./refs.js";
import type { Resolved } from "./resolved.js";
import { runRules, declFacts, type DeclFacts } from "./rules/index.js";
import { checkParams, type ParamOverride } from "./params.js";
import { pushAll } from "../../core/arrays.js";

export interface CheckedDecl {
  info: DeclInfo;
  kind: DeclKind;
  ctor: ConstructorDef;
  /** Projected, validated value with every default filled in. */
  value: JsonObject;
  spans: SpanMap;
  refs: Map<string, Resolved>;
  /** Declarations it derives from, nearest first. */
  bases: DeclInfo[];
  /** True when checking it reported no error. */
  ok: boolean;
  facts: DeclFacts;
}

export interface CheckResult {
  decls: Map<DeclInfo, CheckedDecl>;
  scopes: Map<Module, Scope>;
  params: Map<ParamInfo, A.Value>;
  diagnostics: Diagnostic[];
}

export class Checker implements RefResolver {
  readonly diagnostics: Diagnostic[] = [];
  private readonly scopes: Map<Module, Scope>;
  private readonly checked = new Map<DeclInfo, CheckedDecl | null>();
  private readonly inProgress = new Set<DeclInfo>();
  private readonly refs: RefResolution;
  private readonly paramValues = new Map<ParamInfo, { value: A.Value; scope: Scope }>();

  constructor(
    private readonly program: Program,
    private readonly overrides: ParamOverride[] = [],
    /** "Did you mean" suggestions, within a budget per file. */
    readonly hints = new Hints(),
  ) {
    const built = buildScopes(program);
    this.scopes = built.scopes;
    pushAll(this.diagnostics, built.diagnostics);
    this.refs = new RefResolution(this.diagnostics, hints, {
      scopeOf: (m) => this.scopeOf(m),
      splitsOf: (d) => this.ensure(d)?.facts.splits,
      tapsOf: (d) => this.ensure(d)?.facts.taps,
      modelOf: (d) => this.ensure(d)?.facts.model,
    });
  }

  scopeOf(mod: Module): Scope {
    const s = this.scopes.get(mod);
    if (!s) throw new Error(`no scope for ${mod.display}`);
    return s;
  }

  run(): CheckResult {
    const params = checkParams(this.program, this.scopes, this.overrides, this.diagnostics);
    for (const [info, p] of params) this.paramValues.set(info, { value: p.value, scope: this.scopeOf(p.scopeModule) });
    for (const mod of this.program.modules.values()) {
      if (mod.syntaxErrors) continue;
      for (const sym of this.scopeOf(mod).symbols.values()) if (sym.k === "decl") this.ensure(sym.decl);
    }
    for (const mod of this.program.modules.values()) {
      if (mod.syntaxErrors || mod.std) continue;
      const scope = this.scopeOf(mod);
      for (const [alias, binding] of mod.imports) {
        if (!scope.usedImports.has(alias) && binding.module) this.diagnostics.push(diag("UnusedImport", binding.decl.alias.span, { alias }));
      }
    }
    const decls = new Map<DeclInfo, CheckedDecl>();
    for (const [k, v] of this.checked) if (v) decls.set(k, v);
    return { decls, scopes: this.scopes, params: new Map([...params].map(([k, v]) => [k, v.value])), diagnostics: this.diagnostics };
  }

  /** Checks a declaration once; undefined when it cannot be checked (cycle, bad base). */
  ensure(decl: DeclInfo): CheckedDecl | undefined {
    const done = this.checked.get(decl);
    if (done !== undefined) return done ?? undefined;
    if (this.inProgress.has(decl) || decl.module.syntaxErrors) return undefined;
    this.inProgress.add(decl);
    const result = this.checkDecl(decl);
    this.inProgress.delete(decl);
    this.checked.set(decl, result ?? null);
    return result;
  }

  private checkDecl(decl: DeclInfo): CheckedDecl | undefined {
    const derived = derive(decl, { scopeOf: (m) => this.scopeOf(m), diagnostics: this.diagnostics, hints: this.hints });
    if (!derived) return undefined;
    const projector = new Projector(this, this.hints);
    const path = [decl.name];
    const data = projector.record(derived.entries, derived.ctor.fields, "", path, derived.ctor.name);
    pushAll(this.diagnostics, projector.diagnostics);
    const header = decl.ast.base?.span ?? decl.ast.name.span;
    const schemaErrors = validateDecl(data, { def: derived.ctor, projector, headerSpan: header, path, hints: this.hints });
    pushAll(this.diagnostics, schemaErrors);
    const schemaOk = projector.failed.size === 0 && !hasErrors(projector.diagnostics) && !hasErrors(schemaErrors);
    const value = applyDefaults(data, derived.ctor);
    const checked: CheckedDecl = {
      info: decl,
      kind: decl.kind,
      ctor: derived.ctor,
      value,
      spans: projector.spans,
      refs: projector.refs,
      bases: derived.bases,
      ok: false,
      facts: {},
    };
    checked.facts = declFacts(checked, schemaOk, this);
    // Domain rules need a value that passed the schema; a broken one has been reported.
    if (schemaOk) {
      const ruleDiags = runRules(checked, this);
      pushAll(this.diagnostics, ruleDiags);
      checked.ok = !hasErrors(ruleDiags);
    }
    return checked;
  }

  // ---- RefResolver ---------------------------------------------------------------

  resolveRef(v: A.RefValue | A.CallValue, to: TypeDesc & { t: "ref" }, scope: Scope, path: string[]): Resolved | undefined {
    return this.refs.resolve(v, to.to, scope, path);
  }

  resolveDeclRef(v: A.RefValue, kind: string, ctors: readonly string[], scope: Scope, path: string[]): Resolved | undefined {
    const r = this.refs.resolve(v, [kind as "eval"], scope, path);
    if (!r || r.k !== "decl") return undefined;
    const target = this.ensure(r.decl);
    if (target && !ctors.includes(target.ctor.name)) {
      this.diagnostics.push(diag("WrongKind", v.span, { name: r.decl.name, actual: `a \`${target.ctor.name}\` evaluation`, expected: ctors.map((c) => `a \`${c}\``).join(" or ") }, { path }));
      return undefined;
    }
    return r;
  }

  paramValue(v: A.RefValue, scope: Scope): { value: A.Value; scope: Scope; name: string } | undefined {
    const name = v.path[0]?.name;
    if (name === undefined || v.path.length !== 1) return undefined;
    const sym = scope.symbols.get(name);
    if (sym?.k !== "param") return undefined;
    const p = this.paramValues.get(sym.param);
    return p ? { value: p.value, scope: p.scope, name } : undefined;
  }

}
