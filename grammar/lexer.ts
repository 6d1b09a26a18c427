import { Lexer } from "chevrotain";
import { allTokens } from "./tokens.js";

/** The one lexer instance (Chevrotain lexers are stateless between `tokenize` calls). */
export const seerLexer = new Lexer(allTokens, {
  positionTracking: "full",
  ensureOptimizations: false,
  skipValidations: process.env["SEER_GRAMMAR_VALIDATE"] !== "1",
});
