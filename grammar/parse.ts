/**
 * Public entry of the grammar: source text -> AST + syntax diagnostics. Never throws on
 * any input (hostile input included): everything wrong becomes a diagnostic.
 */
import type { CstNode, IRecognitionException, IToken } from "chevrotain";
import { capPerFile, diag, type Diagnostic } from "../core/diagnostics/diagnostic.js";
import type { FileAst, Comment } from "./ast.js";
import { tokenize } from "./lexer.js";
import { getParser, PARSE_ERROR_LIMIT, TooManySyntaxErrors, type SeerParser } from "./parser.js";
import { mapParseError, tokenSpan } from "./parse-messages.js";
import { AstBuilder } from "./to-ast.js";
import * as T from "./tokens.js";
import { pushAll } from "../core/arrays.js";

export const MAX_NESTING = 128;
/** The longest source text a file may have (UTF-16 code units, as JavaScript counts characters). */
export const MAX_SOURCE_CHARS = 4 * 1024 * 1024;
/** The most tokens a file may have: memory grows by about 1 KB a token while a file is parsed. */
export const MAX_TOKENS = 500_000;
/** Syntax diagnostics kept per file (the rest are summarised in a note): as many as the parser records before it gives up. */
export const MAX_SYNTAX_ERRORS = PARSE_ERROR_LIMIT;

export interface ParseResult {
  ast: FileAst;
  diagnostics: Diagnostic[];
}

export function parseSource(file: string, text: string): ParseResult {
  if (text.length > MAX_SOURCE_CHARS) return { ast: emptyFile(file, text, []), diagnostics: [tooLarge(file, 0, MAX_SOURCE_CHARS, "characters")] };
  const diagnostics: Diagnostic[] = [];
  const lex = tokenize(text);
  pushAll(diagnostics, lexDiagnostics(file, text, lex.errors, lex.groups["invalid"] ?? []));

  const comments: Comment[] = (lex.groups["comments"] ?? []).map((t) => ({
    kind: t.tokenType === T.DocComment ? "doc" : t.tokenType === T.BlockComment ? "block" : "line",
    text: t.image,
    span: tokenSpan(file, t, text.length),
  }));

  const empty = emptyFile(file, text, comments);
  const tooMany = lex.tokens[MAX_TOKENS];
  if (tooMany) return { ast: empty, diagnostics: [tooLarge(file, tooMany.startOffset, MAX_TOKENS, "tokens")] };
  const tooDeep = nestingViolation(lex.tokens);
  if (tooDeep) {
    diagnostics.push(diag("NestingTooDeep", tokenSpan(file, tooDeep, text.length), { limit: MAX_NESTING }));
    return { ast: empty, diagnostics };
  }

  const { cst, errors } = runParser(lex.tokens, (p) => p.file());
  const unclosed = unclosedBracket(lex.tokens);
  let reportedUnclosed = false;
  const unterminated = (lex.groups["invalid"] ?? []).length > 0;
  for (const e of errors) {
    // An unterminated string or comment swallows the rest of the input: what the parser
    // then misses at the end of the file is a cascade, not a second problem.
    if (unterminated && e.token.tokenType.name === "EOF") continue;
    if (e.token.tokenType.name === "EOF" && unclosed && !reportedUnclosed) {
      const close = unclosed.tokenType === T.LBrace ? "}" : unclosed.tokenType === T.LBracket ? "]" : ")";
      diagnostics.push(diag("UnclosedBracket", tokenSpan(file, unclosed, text.length), { open: unclosed.image, close }));
      reportedUnclosed = true;
      continue;
    }
    if (e.token.tokenType.name === "EOF" && reportedUnclosed) continue;
    const d = mapParseError(e, { file, textLength: text.length });
    // A record whose `}` is missing ends at the next declaration: point at the brace left open too.
    if (unclosed && unclosed.tokenType === T.LBrace && !reportedUnclosed && unclosed.startOffset < e.token.startOffset && d.message.startsWith("Expected `}`")) {
      const at = tokenSpan(file, e.token, text.length);
      d.labels = [...(d.labels ?? []), { span: tokenSpan(file, unclosed, text.length), message: "this `{` is never closed" }];
      d.fixes = [...(d.fixes ?? []), { message: "close the record before the next declaration", edits: [{ span: { file, start: at.start, end: at.start }, text: "}\n\n" }] }];
      reportedUnclosed = true;
    }
    diagnostics.push(d);
  }
  if (!cst) {
    noteGivenUp(diagnostics);
    return { ast: empty, diagnostics: capErrors(diagnostics) };
  }

  const builder = new AstBuilder(file, text);
  const ast = builder.build(cst, comments);
  // Junk the parser skipped after an error it already reported is not a second error.
  const reported = new Set(diagnostics.map((d) => d.span.start));
  pushAll(diagnostics, builder.diagnostics.filter((d) => d.name !== "ExpectedDeclaration" || !reported.has(d.span.start)));
  return { ast, diagnostics: capErrors(diagnostics) };
}

/**
 * Runs a rule of the one parser on the tokens: its tree (undefined when it gave up after too
 * many syntax errors) and its errors. The parser lets go of the tokens afterwards, so they do
 * not stay in memory while the file is checked.
 */
function runParser(tokens: IToken[], rule: (p: SeerParser) => CstNode): { cst: CstNode | undefined; errors: IRecognitionException[] } {
  const parser = getParser();
  parser.input = tokens;
  let cst: CstNode | undefined;
  try {
    cst = rule(parser);
  } catch (e) {
    if (!(e instanceof TooManySyntaxErrors)) throw e;
  }
  const errors = parser.errors;
  parser.input = [];
  return { cst, errors };
}

/** Says, on the last syntax error, that the parser read no further. */
function noteGivenUp(diagnostics: Diagnostic[]): void {
  const last = diagnostics.reduce<Diagnostic | undefined>((a, d) => (!a || d.span.start >= a.span.start ? d : a), undefined);
  if (last) last.notes = [...(last.notes ?? []), `seer stops reading a file after ${PARSE_ERROR_LIMIT} syntax errors; fix these and check again.`];
}

function emptyFile(file: string, text: string, comments: Comment[]): FileAst {
  return { kind: "file", items: [], comments, span: { file, start: 0, end: text.length } };
}

/** SEER1018 at an offset: the file passes a limit there. */
export function tooLarge(file: string, at: number, limit: number, unit: "characters" | "tokens"): Diagnostic {
  return diag("SourceTooLarge", { file, start: at, end: at }, { limit: limit.toLocaleString("en-US"), unit });
}

function lexDiagnostics(file: string, text: string, errors: { offset: number; length: number }[], invalid: IToken[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Coalesce runs of unexpected characters into one diagnostic each.
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart < 0) return;
    const shown = text.slice(runStart, Math.min(runEnd, runStart + 8));
    const char = describeChars(shown, runEnd - runStart);
    out.push(diag("UnexpectedCharacter", { file, start: runStart, end: runEnd }, { char }));
    runStart = -1;
  };
  for (const e of errors) {
    if (runStart >= 0 && e.offset <= runEnd) {
      runEnd = Math.max(runEnd, e.offset + e.length);
      continue;
    }
    flush();
    runStart = e.offset;
    runEnd = e.offset + e.length;
  }
  flush();
  for (const t of invalid) {
    const span = tokenSpan(file, t, text.length);
    if (t.tokenType === T.UnterminatedComment) out.push(diag("UnterminatedComment", { file, start: span.start, end: span.start + 2 }));
    else out.push(diag("UnterminatedString", span));
  }
  return out;
}

function describeChars(shown: string, length: number): string {
  const printable = /^[\x21-\x7e]+$/.test(shown);
  if (printable && length === 1) return `\`${shown}\``;
  const codes = [...shown.slice(0, 4)].map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
  return length === 1 ? codes[0]! : `${codes.join(" ")}${length > 4 ? " ..." : ""} (${length} characters)`;
}

function nestingViolation(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    const ty = t.tokenType;
    if (ty === T.LBrace || ty === T.LBracket || ty === T.LParen) {
      depth++;
      if (depth > MAX_NESTING) return t;
    } else if (ty === T.RBrace || ty === T.RBracket || ty === T.RParen) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** The innermost opening bracket left open at the end of the file, if any. */
function unclosedBracket(tokens: IToken[]): IToken | undefined {
  const stack: IToken[] = [];
  for (const t of tokens) {
    const ty = t.tokenType;
    if (ty === T.LBrace || ty === T.LBracket || ty === T.LParen) stack.push(t);
    else if (ty === T.RBrace || ty === T.RBracket || ty === T.RParen) stack.pop();
  }
  return stack[stack.length - 1];
}

function capErrors(diags: Diagnostic[]): Diagnostic[] {
  if (diags.length <= MAX_SYNTAX_ERRORS) return diags;
  return capPerFile([...diags].sort((a, b) => a.span.start - b.span.start), MAX_SYNTAX_ERRORS, "syntax errors");
}

/**
 * Parses a single value (for `--set NAME=VALUE`). `text` may carry a prefix that is
 * blanked out, so spans stay offsets into the full text.
 */
export function parseValueSource(file: string, text: string, valueStart: number): { value: import("./ast.js").Value; diagnostics: Diagnostic[] } {
  const padded = " ".repeat(valueStart) + text.slice(valueStart);
  const diagnostics: Diagnostic[] = [];
  const lex = tokenize(padded);
  pushAll(diagnostics, lexDiagnostics(file, padded, lex.errors, lex.groups["invalid"] ?? []));
  const failed = { value: { kind: "error", span: { file, start: valueStart, end: padded.length } } as const, diagnostics };
  const tooDeep = nestingViolation(lex.tokens);
  if (tooDeep) {
    diagnostics.push(diag("NestingTooDeep", tokenSpan(file, tooDeep, padded.length), { limit: MAX_NESTING }));
    return failed;
  }
  const { cst, errors } = runParser(lex.tokens, (p) => p.value());
  for (const e of errors) diagnostics.push(mapParseError(e, { file, textLength: padded.length }));
  if (!cst) {
    noteGivenUp(diagnostics);
    return failed;
  }
  const rest = lex.tokens.length > 0 ? lex.tokens.find((t) => t.startOffset > (cst.location?.endOffset ?? Infinity)) : undefined;
  if (rest && diagnostics.length === 0) diagnostics.push(diag("ExpectedToken", tokenSpan(file, rest, padded.length), { expected: "the end of the value", found: `\`${rest.image}\`` }));
  const builder = new AstBuilder(file, padded);
  const value = builder.value(cst, cst);
  pushAll(diagnostics, builder.diagnostics);
  return { value, diagnostics };
}
