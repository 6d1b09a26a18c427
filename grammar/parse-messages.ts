/**
 * Maps Chevrotain lexer and parser errors onto catalog diagnostics. Chevrotain's own
 * messages never reach users.
 */
import type { IRecognitionException, IToken, TokenType } from "chevrotain";
import { diag, type Diagnostic } from "../core/diagnostics/diagnostic.js";
import type { Span } from "../core/source/span.js";
import * as T from "./tokens.js";

export function describeToken(tok: IToken): string {
  if (tok.tokenType.name === "EOF") return "the end of the file";
  const t = tok.tokenType;
  if (t === T.Identifier) return `the name \`${truncate(tok.image)}\``;
  if (t === T.NumberLit) return `the number \`${truncate(tok.image)}\``;
  if (t === T.StringLit) return "a string";
  const label = t.LABEL;
  return label ?? `\`${truncate(tok.image)}\``;
}

function truncate(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}...` : s;
}

export function tokenSpan(file: string, tok: IToken, textLength: number): Span {
  if (tok.tokenType.name === "EOF" || Number.isNaN(tok.startOffset)) {
    return { file, start: textLength, end: textLength };
  }
  return { file, start: tok.startOffset, end: (tok.endOffset ?? tok.startOffset) + 1 };
}

interface MappingContext {
  file: string;
  textLength: number;
}

/** One parser exception → one diagnostic. */
export function mapParseError(e: IRecognitionException, ctx: MappingContext): Diagnostic {
  const tok = e.token;
  const span = tokenSpan(ctx.file, tok, ctx.textLength);
  const rules = e.context?.ruleStack ?? [];
  const rule = rules[rules.length - 1] ?? "";
  const prev = (e as { previousToken?: IToken }).previousToken;
  const found = describeToken(tok);

  if (e.name === "MismatchedTokenException") {
    const expected = expectedFromMessage(e.message);
    if (rule === "list" && expected === T.RBracket && tok.tokenType !== T.RBracket) {
      return diag("ListSeparatorExpected", span);
    }
    if (rule === "field" && expected === T.Equals) {
      return diag("FieldSeparatorExpected", span, { field: prev?.image ?? "?" });
    }
    const label = expected?.LABEL ?? (expected ? `\`${expected.name}\`` : "something else");
    return diag("ExpectedToken", span, { expected: label, found });
  }
  if (e.name === "NoViableAltException") {
    if (rule === "value" && prev?.tokenType === T.Equals) return diag("MissingValue", span);
    if (rule === "value") return diag("UnexpectedToken", span, { found, expected: "a value" });
    if (rule === "field") return diag("FieldSeparatorExpected", span, { field: prev?.image ?? "?" });
    if (rule === "file") return diag("ExpectedDeclaration", span, { found });
    return diag("UnexpectedToken", span, { found, expected: "something else" });
  }
  if (e.name === "NotAllInputParsedException") {
    return diag("ExpectedDeclaration", span, { found });
  }
  // EarlyExitException and anything else.
  return diag("UnexpectedToken", span, { found, expected: "more input" });
}

/** The parser's message provider encodes the expected token's name as JSON. */
function expectedFromMessage(message: string): TokenType | undefined {
  let name: unknown;
  try {
    name = (JSON.parse(message) as { expected?: unknown }).expected;
  } catch {
    return undefined;
  }
  return T.allTokens.find((t) => t.name === name);
}
