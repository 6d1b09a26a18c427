/** `seer fmt [--check | --stdout] PATHS...`: canonical layout, comments kept. */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { parseSource } from "../../../grammar/parse.js";
import { printFile } from "../../../grammar/print.js";
import { hasErrors, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import { SourceFile } from "../../../core/source/source-file.js";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import { EXIT, UsageError } from "../errors.js";
import { expandPaths } from "../files.js";
import { emitDiagnostics, type OutputOptions } from "../output.js";
import { pushAll } from "../../../core/arrays.js";

export interface FmtOptions extends OutputOptions {
  check: boolean;
  stdout: boolean;
}

/** Formats source text; undefined (with diagnostics) when it does not parse. */
export function formatSource(file: string, text: string): { output?: string; diagnostics: Diagnostic[] } {
  const parsed = parseSource(file, text);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  return { output: printFile(parsed.ast, text), diagnostics: parsed.diagnostics };
}

export function runFmt(paths: string[], opts: FmtOptions): number {
  if (opts.check && opts.stdout) throw new UsageError("`--check` and `--stdout` cannot be used together.");
  if (paths.length === 0) throw new UsageError("`seer fmt` needs at least one file or directory.", "seer fmt recipes/");
  const files = expandPaths(paths);
  const diags: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const changed: string[] = [];
  let unreadable = 0;
  for (const file of files) {
    const text = utf8(file);
    if (text === null) {
      unreadable++;
      continue;
    }
    sources.set(file, new SourceFile(file, text));
    const r = formatSource(file, text);
    pushAll(diags, r.diagnostics);
    if (r.output === undefined) continue;
    if (opts.stdout) process.stdout.write(r.output);
    else if (r.output !== text) {
      changed.push(file);
      if (!opts.check) rewrite(file, r.output);
    }
  }
  if (diags.length > 0) emitDiagnostics(diags, sources, files.length, opts);
  if (opts.check) {
    for (const f of changed) process.stdout.write(`would reformat ${f}\n`);
    if (changed.length > 0) process.stderr.write(`${changed.length} of ${files.length} file(s) would be reformatted; run \`seer fmt\` on them.\n`);
    return changed.length > 0 || hasErrors(diags) || unreadable > 0 ? EXIT.recipeErrors : EXIT.ok;
  }
  if (!opts.stdout) for (const f of changed) process.stderr.write(`formatted ${f}\n`);
  return hasErrors(diags) || unreadable > 0 ? EXIT.recipeErrors : EXIT.ok;
}

/** The file's text, or null (said on stderr) when it is not UTF-8: formatting would replace its bytes with U+FFFD. */
function utf8(file: string): string | null {
  const bytes = readFileSync(file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    process.stderr.write(`seer fmt: ${file} is not valid UTF-8 (formatting would replace those bytes); left unchanged. Save it as UTF-8 first.\n`);
    return null;
  }
}

/** Rewrites a recipe in place: through a symlink to its target (the link stays a link), keeping the file's permissions. */
function rewrite(file: string, text: string): void {
  const target = realpathSync(file);
  writeFileAtomic(target, text, { mode: statSync(target).mode & 0o7777 });
}
