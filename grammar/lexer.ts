import { Lexer, type ILexingResult } from "chevrotain";
import { allTokens } from "./tokens.js";

/**
 * The one lexer instance (Chevrotain lexers are stateless between `tokenize` calls). Tokens
 * carry offsets only, no line and column numbers (spans are offsets; lines are found from the
 * source when a diagnostic is shown): a million tokens then take about 120 MB, not 300 MB.
 */
const seerLexer = new Lexer(allTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: false,
  skipValidations: process.env["SEER_GRAMMAR_VALIDATE"] !== "1",
});

/** Tokens (comments included), each with its end offset, which the parser's node locations need. */
export function tokenize(text: string): ILexingResult {
  const lex = seerLexer.tokenize(text);
  for (const t of lex.tokens) t.endOffset = t.startOffset + t.image.length - 1;
  for (const group of Object.values(lex.groups)) for (const t of group) t.endOffset = t.startOffset + t.image.length - 1;
  return lex;
}
