/**
 * Derivation: `KIND name = BASE { fields }`. BASE is a constructor, a declaration of the
 * same kind (copied, then overridden), or a preset from an imported module. `name = v`
 * replaces an inherited field; the block form `name { ... }` amends an inherited record.
 */
import { importHint } from "./import-hint.js";
import type * as A from "../../grammar/ast.js";
import { diag, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { chainText } from "../../core/diagnostics/chain-text.js";
import type { Hints } from "../../core/diagnostics/hints.js";
import type { Module } from "../modules/load.js";
import type { DeclInfo, Scope } from "../resolve/scope.js";
import { scopeNames } from "../resolve/scope-names.js";
import type { ConstructorDef } from "../types/desc.js";
import { CONSTRUCTORS, IMPLICIT_CONSTRUCTOR, constructorsMaking } from "../types/registry.js";
import { article } from "./describe.js";
import { entriesOf, type FieldEntry } from "./project.js";

export interface Derived {
  ctor: ConstructorDef;
  entries: Map<string, FieldEntry>;
  /** Declarations this one derives from, nearest first. */
  bases: DeclInfo[];
}

export interface DeriveContext {
  scopeOf(mod: Module): Scope;
  diagnostics: Diagnostic[];
  hints: Hints;
}

/** How many declarations a derivation may go through (`a = b`, `b = c`, ...): deeper is refused. */
export const MAX_DERIVATION_DEPTH = 64;

const memo = new WeakMap<DeclInfo, Derived | null>();

/** One declaration of a chain being derived: where it was written and what its base names. */
interface Link {
  decl: DeclInfo;
  scope: Scope;
  /** The resolved base; undefined when it has none or could not be resolved (reported). */
  target?: ConstructorDef | DeclInfo;
}

/**
 * Derives a declaration and every base it goes through that is not derived yet. The chain is
 * walked up in a loop (no recursion, however long it is), then derived top down, each result
 * memoised: a long chain costs time and memory in proportion to its length.
 */
export function derive(decl: DeclInfo, ctx: DeriveContext): Derived | undefined {
  const cached = memo.get(decl);
  if (cached !== undefined) return cached ?? undefined;
  const links: Link[] = [];
  const onChain = new Map<DeclInfo, number>();
  let above: Derived | null | undefined;
  for (let d: DeclInfo | undefined = decl; d; ) {
    const known = memo.get(d);
    if (known !== undefined) {
      above = known;
      break;
    }
    const at = onChain.get(d);
    if (at !== undefined) {
      const cycle = chainText([...links.slice(at).map((l) => l.decl.name), d.name]);
      ctx.diagnostics.push(diag("DerivationCycle", d.ast.base?.span ?? d.ast.name.span, { name: d.name, cycle }));
      above = null;
      break;
    }
    onChain.set(d, links.length);
    const scope = ctx.scopeOf(d.module);
    const link: Link = { decl: d, scope };
    const target: ConstructorDef | DeclInfo | undefined = d.ast.base ? resolveBase(d.ast.base, d, scope, ctx) : undefined;
    if (target) link.target = target;
    links.push(link);
    d = target && !("makes" in target) && target.kind === d.kind ? target : undefined;
  }
  let parent = above;
  for (let i = links.length - 1; i >= 0; i--) {
    const link = links[i]!;
    const result = deriveOne(link, parent, ctx);
    memo.set(link.decl, result ?? null);
    parent = result ?? null;
  }
  return parent ?? undefined;
}

/** One declaration, given what its base derived to (null: the base failed and was reported). */
function deriveOne({ decl, scope, target }: Link, parent: Derived | null | undefined, ctx: DeriveContext): Derived | undefined {
  const own = decl.ast.body ? entriesOf(decl.ast.body, scope, ctx.diagnostics) : new Map<string, FieldEntry>();
  const base = decl.ast.base;
  if (!base) {
    const implicit = IMPLICIT_CONSTRUCTOR[decl.kind];
    const def = implicit ? CONSTRUCTORS.get(implicit) : undefined;
    if (!def) {
      ctx.diagnostics.push(diag("MissingConstructor", decl.ast.name.span, { kind: decl.kind, name: decl.name }));
      return undefined;
    }
    return { ctor: def, entries: own, bases: [] };
  }
  if (!target) return undefined;
  if ("makes" in target) return { ctor: target, entries: own, bases: [] };
  if (target.kind !== decl.kind) {
    ctx.diagnostics.push(diag("ConstructorKindMismatch", base.span, { ctor: target.name, made: article(target.kind), kind: article(decl.kind) }));
    return undefined;
  }
  if (!parent) return undefined;
  if (parent.bases.length >= MAX_DERIVATION_DEPTH) {
    ctx.diagnostics.push(diag("DerivationTooDeep", base.span, { name: decl.name, limit: MAX_DERIVATION_DEPTH }));
    return undefined;
  }
  return { ctor: parent.ctor, entries: mergeEntries(parent.entries, own, ctx), bases: [target, ...parent.bases] };
}

function resolveBase(base: A.RefValue | A.CallValue, decl: DeclInfo, scope: Scope, ctx: DeriveContext): ConstructorDef | DeclInfo | undefined {
  if (base.kind === "call") {
    ctx.diagnostics.push(diag("UnknownConstructor", base.callee.span, { name: base.callee.name }));
    return undefined;
  }
  const [head, member, ...rest] = base.path;
  if (!head) return undefined;
  const sym = scope.symbols.get(head.name);
  if (member === undefined) {
    if (sym?.k === "decl") return sym.decl;
    const def = CONSTRUCTORS.get(head.name);
    if (def && def.makes !== "value") {
      if (def.makes !== decl.kind) {
        ctx.diagnostics.push(diag("ConstructorKindMismatch", head.span, { ctor: def.name, made: article(def.makes), kind: article(decl.kind) }));
        return undefined;
      }
      return def;
    }
    const help = ctx.hints.didYouMean(head.span.file, head.name, () => [...constructorsMaking(decl.kind), ...scopeNames(scope, { kinds: [decl.kind] })]);
    ctx.diagnostics.push(diag("UnknownConstructor", head.span, { name: head.name }, help ? { help } : {}));
    return undefined;
  }
  if (sym?.k !== "import") {
    const help = sym ? undefined : (importHint(head.name, true) ?? ctx.hints.didYouMean(head.span.file, head.name, () => scope.symbols.keys()));
    ctx.diagnostics.push(diag("UnknownName", head.span, { what: "module", name: head.name }, help ? { help } : {}));
    return undefined;
  }
  scope.usedImports.add(head.name);
  const mod = sym.binding.module;
  if (!mod) return undefined; // import already reported (missing or cyclic)
  const modScope = ctx.scopeOf(mod);
  const target = modScope.symbols.get(member.name);
  if (target?.k !== "decl" || rest.length > 0) {
    const help = ctx.hints.didYouMean(member.span.file, member.name, () => scopeNames(modScope, { decls: true }));
    ctx.diagnostics.push(diag("UnknownMember", (rest[0] ?? member).span, { module: head.name, name: rest.length > 0 ? `${member.name}.${rest.map((r) => r.name).join(".")}` : member.name }, help ? { help } : {}));
    return undefined;
  }
  return target.decl;
}

/** Own fields over inherited ones: `=` replaces, the block form amends records. */
export function mergeEntries(base: Map<string, FieldEntry>, own: Map<string, FieldEntry>, ctx: DeriveContext): Map<string, FieldEntry> {
  const out = new Map(base);
  for (const [name, e] of own) {
    const inherited = base.get(name);
    if (e.field.form === "block" && e.field.value.kind === "record" && inherited) {
      const innerBase = subEntries(inherited, ctx);
      if (innerBase) {
        const ownSub = e.sub ?? entriesOf(e.field.value, e.scope, ctx.diagnostics);
        const merged: FieldEntry = { ...e, sub: mergeEntries(innerBase.entries, ownSub, ctx) };
        if (innerBase.ctor) merged.subCtor = innerBase.ctor;
        out.set(name, merged);
        continue;
      }
    }
    out.set(name, e);
  }
  return out;
}

function subEntries(e: FieldEntry, ctx: DeriveContext): { entries: Map<string, FieldEntry>; ctor?: string } | undefined {
  if (e.sub) return e.subCtor ? { entries: e.sub, ctor: e.subCtor } : { entries: e.sub };
  const v = e.field.value;
  if (v.kind === "record") return { entries: entriesOf(v, e.scope, ctx.diagnostics) };
  if (v.kind === "ctor") return { entries: entriesOf(v.body, e.scope, ctx.diagnostics), ctor: v.ctor.map((i) => i.name).join(".") };
  return undefined;
}
