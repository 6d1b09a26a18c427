/**
 * The names of a scope that a suggestion may offer, by what they name. A scope does not change
 * once built, so each list is made once: a file that misnames thousands of references does
 * not walk its symbol table once per misnamed reference.
 */
import type { DeclKind } from "../types/desc.js";
import type { Scope, Sym } from "./scope.js";

export interface NameFilter {
  /** Declarations of these kinds (all kinds when `decls` is true). */
  kinds?: readonly DeclKind[];
  decls?: boolean;
  params?: boolean;
  imports?: boolean;
}

const cache = new WeakMap<Scope, Map<string, readonly string[]>>();

export function scopeNames(scope: Scope, filter: NameFilter): readonly string[] {
  const key = JSON.stringify([filter.kinds ?? [], !!filter.decls, !!filter.params, !!filter.imports]);
  let byFilter = cache.get(scope);
  if (!byFilter) cache.set(scope, (byFilter = new Map()));
  const known = byFilter.get(key);
  if (known) return known;
  const keep = (s: Sym): boolean =>
    s.k === "decl" ? !!filter.decls || (filter.kinds ?? []).includes(s.decl.kind) : s.k === "param" ? !!filter.params : !!filter.imports;
  const names = [...scope.symbols].filter(([, s]) => keep(s)).map(([n]) => n);
  byFilter.set(key, names);
  return names;
}
