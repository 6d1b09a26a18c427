/**
 * How a file refers to a declaration or a resolved reference: `name` in the same file,
 * `alias.name` through one of its imports, otherwise `file.seer:name`; splits and taps append
 * `.member`, random-weight rows read `random_init(model).tap`.
 */
import type { Module } from "../modules/load.js";
import type { DeclInfo } from "../resolve/scope.js";
import type { Resolved } from "./resolved.js";

export function declName(decl: DeclInfo, from: Module): string {
  if (decl.module === from) return decl.name;
  for (const [alias, b] of from.imports) if (b.module === decl.module) return `${alias}.${decl.name}`;
  return `${decl.module.display}:${decl.name}`;
}

export function resolvedName(r: Resolved, from: Module): string {
  if (r.k === "param") return r.param.name;
  const base = declName(r.decl, from);
  if (r.k === "decl") return base;
  if (r.k === "split") return `${base}.${r.split}`;
  return r.randomInit ? `random_init(${base}).${r.tap}` : `${base}.${r.tap}`;
}
