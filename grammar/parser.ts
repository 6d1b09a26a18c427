/**
 * The seer grammar: rules only, no semantics. Produces a CST; `to-ast.ts` turns it into
 * the typed AST. Error recovery is on, so one run reports every independent syntax error.
 *
 *   file        := (import | param | declaration)*
 *   import      := "import" STRING "as" NAME
 *   param       := "param" NAME ":" NAME "=" value
 *   declaration := NAME NAME ("=" reference)? record?
 *   record      := "{" field* "}"
 *   field       := NAME ("=" value | record)
 *   value       := numeric | STRING | "true" | "false" | "none" | list | record | reference record?
 *   numeric     := quantity (".." quantity)? ("per" quantity)?
 *   quantity    := "-"? NUMBER ("%" | UNIT)?
 *   list        := "[" (value ("," value)* ","?)? "]"
 *   reference   := NAME ("." NAME | "(" (value ("," value)*)? ")")*
 */
import { CstParser, type IParserErrorMessageProvider, type IRecognitionException, type IToken } from "chevrotain";
import * as T from "./tokens.js";

declare module "chevrotain" {
  interface CstParser {
    /** Chevrotain's hook that records every syntax error (left out of its published types). */
    SAVE_ERROR(error: IRecognitionException): IRecognitionException;
  }
}

/** Syntax errors one parse records before it gives up on the rest of the input. */
export const PARSE_ERROR_LIMIT = 50;

/**
 * Thrown out of a parse that met more than `PARSE_ERROR_LIMIT` syntax errors. Recovering from
 * one error costs time in proportion to the square of the nesting depth it happens at, so
 * without a limit a small hostile file (thousands of errors 120 brackets deep) takes minutes.
 */
export class TooManySyntaxErrors extends Error {
  constructor() {
    super(`more than ${PARSE_ERROR_LIMIT} syntax errors`);
    this.name = "TooManySyntaxErrors";
  }
}

/**
 * Chevrotain's messages are replaced by a tiny structured payload (the expected token's
 * name) that `parse-messages.ts` turns into catalog diagnostics.
 */
const structuredMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify({ expected: expected.name }),
  buildNotAllInputParsedMessage: () => "{}",
  buildNoViableAltMessage: () => "{}",
  buildEarlyExitMessage: () => "{}",
};

const STARTS_ITEM = new Set([T.Identifier, T.Import, T.Param]);

export class SeerParser extends CstParser {
  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 3,
      errorMessageProvider: structuredMessages,
      skipValidations: process.env["SEER_GRAMMAR_VALIDATE"] !== "1",
    });
    this.performSelfAnalysis();
  }

  private recorded = 0;

  override reset(): void {
    super.reset();
    this.recorded = 0;
  }

  override SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    if (this.recorded >= PARSE_ERROR_LIMIT) throw new TooManySyntaxErrors();
    this.recorded++;
    return super.SAVE_ERROR(error);
  }

  file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.SUBRULE(this.importDecl) },
          { ALT: () => this.SUBRULE(this.paramDecl) },
          { ALT: () => this.SUBRULE(this.declaration) },
          // Anything else at the top level is junk: kept (and reported) so parsing goes on.
          { GATE: () => !STARTS_ITEM.has(this.LA(1).tokenType), ALT: () => this.CONSUME(T.AnyToken, { LABEL: "junk" }) },
        ],
      });
    });
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLit);
    this.CONSUME(T.As);
    this.CONSUME(T.Identifier);
  });

  paramDecl = this.RULE("paramDecl", () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Identifier, { LABEL: "type" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.value);
  });

  declaration = this.RULE("declaration", () => {
    this.CONSUME(T.Identifier, { LABEL: "kind" });
    this.CONSUME2(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.reference, { LABEL: "base" });
    });
    this.OPTION2(() => this.SUBRULE(this.record, { LABEL: "body" }));
  });

  record = this.RULE("record", () => {
    this.CONSUME(T.LBrace);
    // `kind name =`, `kind name {`, `param` and `import` start a declaration, never a field: a
    // record that meets one lacks its `}`, and the parser resumes at the declaration.
    this.MANY({ GATE: () => !this.declarationAhead(), DEF: () => this.SUBRULE(this.field) });
    this.CONSUME(T.RBrace);
  });

  field = this.RULE("field", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.value);
        },
      },
      { ALT: () => this.SUBRULE(this.record, { LABEL: "block" }) },
    ]);
  });

  value = this.RULE("value", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.numeric) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.None) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.record) },
      {
        ALT: () => {
          this.SUBRULE(this.reference);
          this.OPTION(() => this.SUBRULE2(this.record, { LABEL: "ctorBody" }));
        },
      },
    ]);
  });

  numeric = this.RULE("numeric", () => {
    this.SUBRULE(this.quantity, { LABEL: "first" });
    this.OPTION(() => {
      this.CONSUME(T.DotDot);
      this.SUBRULE2(this.quantity, { LABEL: "rangeEnd" });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Per);
      this.SUBRULE3(this.quantity, { LABEL: "per" });
    });
  });

  quantity = this.RULE("quantity", () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.CONSUME(T.NumberLit);
    this.OPTION2({
      GATE: () => this.LA(1).tokenType === T.Percent || this.isUnitAhead(),
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(T.Percent) },
          { ALT: () => this.CONSUME(T.Identifier, { LABEL: "unit" }) },
        ]);
      },
    });
  });

  list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBracket,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.value);
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  reference = this.RULE("reference", () => {
    this.CONSUME(T.Identifier, { LABEL: "head" });
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME2(T.Identifier, { LABEL: "member" });
          },
        },
        { ALT: () => this.SUBRULE(this.callArgs) },
      ]);
    });
  });

  callArgs = this.RULE("callArgs", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.value);
      });
    });
    this.CONSUME(T.RParen);
  });

  /** A unit word directly after a number, unless it starts the next field (`images = ...`). */
  /** A declaration starts here (`kind name =`/`{`, `param`, `import`): never a record field. */
  private declarationAhead(): boolean {
    const first = this.LA(1).tokenType;
    if (first === T.Param || first === T.Import) return true;
    return first === T.Identifier && this.LA(2).tokenType === T.Identifier && (this.LA(3).tokenType === T.Equals || this.LA(3).tokenType === T.LBrace);
  }

  private isUnitAhead(): boolean {
    const next: IToken = this.LA(1);
    if (next.tokenType !== T.Identifier || !T.UNIT_WORDS.has(next.image)) return false;
    const after = this.LA(2).tokenType;
    return after !== T.Equals && after !== T.LBrace;
  }
}

let instance: SeerParser | undefined;

/** The singleton parser (Chevrotain parsers are built once and reset per input). */
export function getParser(): SeerParser {
  instance ??= new SeerParser();
  return instance;
}
