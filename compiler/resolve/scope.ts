/**
 * Symbol tables: one namespace per module holding its declarations, parameters and
 * import aliases. Reports duplicates and unknown declaration kinds.
 */
import type { Declaration, ParamDecl } from "../../grammar/ast.js";
import { diag, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { didYouMean } from "../../core/diagnostics/suggest.js";
import type { ImportBinding, Module, Program } from "../modules/load.js";
import { DECL_KINDS, type DeclKind } from "../types/desc.js";

export interface DeclInfo {
  module: Module;
  ast: Declaration;
  name: string;
  kind: DeclKind;
}

export interface ParamInfo {
  module: Module;
  ast: ParamDecl;
  name: string;
}

export type Sym =
  | { k: "decl"; decl: DeclInfo }
  | { k: "param"; param: ParamInfo }
  | { k: "import"; alias: string; binding: ImportBinding };

export interface Scope {
  module: Module;
  symbols: Map<string, Sym>;
  /** Aliases referred to at least once (for the unused-import warning). */
  usedImports: Set<string>;
}

export function buildScopes(program: Program): { scopes: Map<Module, Scope>; diagnostics: Diagnostic[] } {
  const scopes = new Map<Module, Scope>();
  const diagnostics: Diagnostic[] = [];
  const kindHelp = new Map<string, string | undefined>();
  for (const mod of program.modules.values()) {
    const scope: Scope = { module: mod, symbols: new Map(), usedImports: new Set() };
    const firstSpan = new Map<string, Declaration["name"]["span"]>();
    const add = (name: string, span: Declaration["name"]["span"], sym: Sym) => {
      const first = firstSpan.get(name);
      if (first) {
        diagnostics.push(diag("DuplicateName", span, { name }, { labels: [{ span: first, message: "first declared here" }] }));
        return;
      }
      firstSpan.set(name, span);
      scope.symbols.set(name, sym);
    };
    for (const item of mod.ast.items) {
      if (item.kind === "import") {
        const binding = mod.imports.get(item.alias.name);
        if (binding && binding.decl === item) add(item.alias.name, item.alias.span, { k: "import", alias: item.alias.name, binding });
        else add(item.alias.name, item.alias.span, { k: "import", alias: item.alias.name, binding: { decl: item } });
      } else if (item.kind === "param") {
        add(item.name.name, item.name.span, { k: "param", param: { module: mod, ast: item, name: item.name.name } });
      } else {
        const kind = item.declKind.name;
        if (!(DECL_KINDS as readonly string[]).includes(kind)) {
          if (!kindHelp.has(kind)) kindHelp.set(kind, didYouMean(kind, DECL_KINDS));
          const help = kindHelp.get(kind);
          diagnostics.push(diag("UnknownDeclarationKind", item.declKind.span, { kind }, help ? { help } : {}));
          continue;
        }
        add(item.name.name, item.name.span, { k: "decl", decl: { module: mod, ast: item, name: item.name.name, kind: kind as DeclKind } });
      }
    }
    scopes.set(mod, scope);
  }
  return { scopes, diagnostics };
}
