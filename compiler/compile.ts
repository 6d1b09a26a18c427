/**
 * The front-end pipeline, in order: load (read + lex + parse every module) -> resolve
 * (scopes) -> check (derive, project, ajv, defaults, domain rules). Each phase collects
 * diagnostics instead of throwing; a module with syntax errors is not type-checked.
 */
import { Checker, type CheckResult } from "./check/checker.js";
import type { ParamOverride } from "./check/params.js";
import { capPerFile, dedupe, sortDiagnostics, type Diagnostic } from "../core/diagnostics/diagnostic.js";
import { ModuleLoader, type Program } from "./modules/load.js";

export interface CompileOptions {
  cwd?: string;
  overrides?: ParamOverride[];
  /** Text to use instead of a file's content, by absolute path. */
  sources?: Map<string, string>;
}

export interface Compilation {
  program: Program;
  check: CheckResult;
  diagnostics: Diagnostic[];
}

export function compile(files: string[], opts: CompileOptions = {}): Compilation {
  const loader = new ModuleLoader({ ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.sources ? { overrides: opts.sources } : {}) });
  const roots = files.map((f) => loader.loadRoot(f));
  const program = loader.program(roots);
  const check = new Checker(program, opts.overrides ?? []).run();
  const diagnostics = capPerFile(sortDiagnostics(dedupe([...program.diagnostics, ...check.diagnostics])));
  return { program, check, diagnostics };
}
