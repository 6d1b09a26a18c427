/**
 * Loads root recipe files and everything they import (relative files and the shipped
 * standard library), parses each once, and reports missing modules and import cycles.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { FileAst, ImportDecl } from "../../grammar/ast.js";
import { MAX_SOURCE_CHARS, parseSource, tooLarge } from "../../grammar/parse.js";
import { diag, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { chainText } from "../../core/diagnostics/chain-text.js";
import { Hints } from "../../core/diagnostics/hints.js";
import { didYouMean } from "../../core/diagnostics/suggest.js";
import { SourceFile } from "../../core/source/source-file.js";
import { depthFirst } from "./depth-first.js";
import { stdDir, stdModuleNames } from "./std.js";
import { pushAll } from "../../core/arrays.js";

export interface ImportBinding {
  decl: ImportDecl;
  /** Undefined when the module could not be loaded or the import closes a cycle. */
  module?: Module;
}

export interface Module {
  /** Absolute path of the file. */
  id: string;
  /** Path shown to users: relative to the working directory, or `std/NAME.seer`. */
  display: string;
  std: boolean;
  source: SourceFile;
  ast: FileAst;
  imports: Map<string, ImportBinding>;
  /** True when the file had syntax errors (checking is skipped for it). */
  syntaxErrors: boolean;
}

export interface Program {
  roots: Module[];
  modules: Map<string, Module>;
  /** Every source by display path, for renderers. */
  files: Map<string, SourceFile>;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  cwd?: string;
  /** Source text to use instead of reading a root file (for `fmt` and tests). */
  overrides?: Map<string, string>;
}

export class ModuleLoader {
  readonly modules = new Map<string, Module>();
  readonly files = new Map<string, SourceFile>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly cwd: string;
  /** "Did you mean" for missing imports, within a budget per file (each lists a folder). */
  private readonly hints = new Hints();
  /** Import edges that close a cycle; cut once every root has been walked. */
  private readonly broken = new Set<ImportBinding>();

  constructor(private readonly opts: LoadOptions = {}) {
    this.cwd = opts.cwd ?? process.cwd();
  }

  /** Loads a file and its imports; cycles are reported relative to this root. */
  loadRoot(file: string): Module {
    const abs = path.resolve(this.cwd, file);
    const mod = this.loadFile(abs, false);
    this.findCycles(mod);
    return mod;
  }

  private displayOf(abs: string, std: boolean): string {
    if (std) return `std/${path.basename(abs)}`;
    return path.relative(this.cwd, abs).split(path.sep).join("/") || abs;
  }

  /** Loads a file and, depth first, every module it imports that is not loaded yet. */
  private loadFile(abs: string, std: boolean): Module {
    const existing = this.modules.get(abs);
    if (existing) return existing;
    const first = this.parseFile(abs, std);
    const importsOf = (mod: Module) => mod.ast.items.filter((i): i is ImportDecl => i.kind === "import");
    depthFirst(first, importsOf, (imp, stack) => {
      const target = this.bindImport(stack[stack.length - 1]!, imp);
      if (!target) return undefined;
      const loaded = this.modules.get(target.abs);
      target.binding.module = loaded ?? this.parseFile(target.abs, target.std);
      return loaded ? undefined : target.binding.module;
    });
    return first;
  }

  private parseFile(abs: string, std: boolean): Module {
    const display = this.displayOf(abs, std);
    // A file too large for its characters to be within the limit is not read at all (UTF-8 takes at most 3 bytes a character).
    const unread = !this.opts.overrides?.has(abs) && statSync(abs).size > 3 * MAX_SOURCE_CHARS;
    const text = unread ? "" : this.opts.overrides?.get(abs) ?? readFileSync(abs, "utf8");
    const parsed = unread ? { ast: parseSource(display, "").ast, diagnostics: [tooLarge(display, 0, MAX_SOURCE_CHARS, "characters")] } : parseSource(display, text);
    const source = new SourceFile(display, text);
    const mod: Module = { id: abs, display, std, source, ast: parsed.ast, imports: new Map(), syntaxErrors: parsed.diagnostics.some((d) => d.severity === "error") };
    this.modules.set(abs, mod);
    this.files.set(display, source);
    pushAll(this.diagnostics, parsed.diagnostics);
    return mod;
  }

  /** Binds an import's alias; the module it names when that is a file to load (else reported). */
  private bindImport(mod: Module, imp: ImportDecl): { binding: ImportBinding; abs: string; std: boolean } | undefined {
    const alias = imp.alias.name;
    if (mod.imports.has(alias)) return undefined; // reported as a duplicate name by the resolver
    const binding: ImportBinding = { decl: imp };
    mod.imports.set(alias, binding);
    const target = this.resolveImportPath(mod, imp);
    return target ? { binding, ...target } : undefined;
  }

  private resolveImportPath(mod: Module, imp: ImportDecl): { abs: string; std: boolean } | undefined {
    const p = imp.path.value;
    const span = imp.path.span;
    if (p.startsWith("std/")) {
      const name = p.slice(4).replace(/\.seer$/, "");
      const abs = path.join(stdDir(), `${name}.seer`);
      if (/^[a-z0-9_-]+$/.test(name) && existsSync(abs)) return { abs, std: true };
      const help = didYouMean(`std/${name}`, stdModuleNames().map((n) => `std/${n}`));
      this.diagnostics.push(diag("ImportNotFound", span, { path: p }, help ? { help } : {}));
      return undefined;
    }
    if (path.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p) || !p.endsWith(".seer") || p.includes("\0")) {
      this.diagnostics.push(diag("InvalidImportPath", span, { path: p }));
      return undefined;
    }
    const abs = path.resolve(path.dirname(mod.id), p);
    if (!isFile(abs)) {
      const dir = path.dirname(abs);
      const near = () => seerFilesIn(dir).map((f) => path.relative(path.dirname(mod.id), path.join(dir, f)).split(path.sep).join("/"));
      const help = this.hints.didYouMean(span.file, p, near);
      this.diagnostics.push(diag("ImportNotFound", span, { path: p }, help ? { help } : {}));
      return undefined;
    }
    return { abs, std: false };
  }

  /** Depth-first walk; an import back into the current path closes a cycle. */
  private findCycles(root: Module): void {
    const done = new Set<Module>();
    const onPath = new Map<Module, number>([[root, 0]]);
    depthFirst(root, (mod) => [...mod.imports.values()], (binding, stack) => {
      const target = binding.module;
      if (!target || done.has(target)) return undefined;
      const at = onPath.get(target);
      if (at === undefined) {
        onPath.set(target, stack.length);
        return target;
      }
      const start = stack[at]!;
      const next = stack[at + 1] ?? target;
      const entry = [...start.imports.values()].find((b) => b.module === next) ?? binding;
      const cycle = chainText([...stack.slice(at), target].map((m) => path.basename(m.display)));
      this.diagnostics.push(diag("ImportCycle", entry.decl.span, { cycle }));
      this.broken.add(entry);
      this.broken.add(binding);
      return undefined;
    }, (mod) => {
      onPath.delete(mod);
      done.add(mod);
    });
  }

  program(roots: Module[]): Program {
    for (const b of this.broken) b.module = undefined;
    return { roots, modules: this.modules, files: this.files, diagnostics: this.diagnostics };
  }
}

function seerFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".seer"));
  } catch {
    return [];
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
