/**
 * Token definitions of the seer language. Labels are what users see in messages.
 * Units are ordinary identifiers: the parser decides (by position) when one is a unit.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/** A category every token belongs to, so the parser can skip junk between declarations. */
export const AnyToken = createToken({ name: "AnyToken", pattern: Lexer.NA });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\f\v\uFEFF]+/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: "Newline", pattern: /\r\n?|\n/, group: Lexer.SKIPPED, line_breaks: true });

export const DocComment = createToken({ name: "DocComment", pattern: /\/\/\/[^\n\r]*/, group: "comments", label: "a doc comment" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments", label: "a comment" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments", line_breaks: true, label: "a comment" });
/** A `/*` with no closing `*\/`: kept in its own group and reported by the lexer phase. */
export const UnterminatedComment = createToken({ name: "UnterminatedComment", pattern: /\/\*[\s\S]*/, group: "invalid", line_breaks: true });

export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/, label: "a string" });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/, group: "invalid" });

/** Decimal number, `_` separators, exponent, and a count suffix K/M/B not followed by a letter. */
export const NumberLit = createToken({
  name: "NumberLit",
  pattern: /\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?(?:[KMB](?![A-Za-z0-9_]))?/,
  label: "a number",
});

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

function keyword(word: string): TokenType {
  return createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\`` });
}
export const Import = keyword("import");
export const As = keyword("as");
export const Param = keyword("param");
export const True = keyword("true");
export const False = keyword("false");
export const None = keyword("none");
export const Per = keyword("per");

export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "`{`" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "`}`" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "`[`" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "`]`" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "`(`" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "`)`" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "`=`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./, label: "`..`" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "`.`" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "`-`" });
export const Percent = createToken({ name: "Percent", pattern: /%/, label: "`%`" });

/** Order matters: longer and more specific patterns first. */
const lexed: TokenType[] = [
  WhiteSpace, Newline,
  DocComment, LineComment, BlockComment, UnterminatedComment,
  StringLit, UnterminatedString,
  NumberLit,
  Import, As, Param, True, False, None, Per,
  Identifier,
  LBrace, RBrace, LBracket, RBracket, LParen, RParen,
  Equals, Comma, DotDot, Dot, Colon, Minus, Percent,
];
for (const t of lexed) t.CATEGORIES = [AnyToken];
export const allTokens: TokenType[] = [...lexed, AnyToken];

/** Words that are units when they directly follow a number. */
export const UNIT_WORDS: ReadonlySet<string> = new Set(["px", "image", "images", "step", "steps", "epoch", "epochs"]);
