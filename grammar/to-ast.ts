/**
 * CST -> typed AST. Tolerates recovered (partial) CST nodes: anything missing becomes an
 * `error` value, so later phases can skip it without crashing.
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
import { diag, type Diagnostic } from "../core/diagnostics/diagnostic.js";
import type { Span } from "../core/source/span.js";
import type * as A from "./ast.js";

type Children = Record<string, CstElement[] | undefined>;

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  private tokSpan(t: IToken): Span {
    return { file: this.file, start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
  }

  private nodeSpan(n: CstNode): Span {
    const loc = n.location;
    if (!loc || Number.isNaN(loc.startOffset)) return { file: this.file, start: this.text.length, end: this.text.length };
    const end = loc.endOffset === undefined || Number.isNaN(loc.endOffset) ? loc.startOffset : loc.endOffset;
    return { file: this.file, start: loc.startOffset, end: end + 1 };
  }

  private tok(c: Children, key: string, i = 0): IToken | undefined {
    const el = c[key]?.[i];
    if (!el || "children" in el) return undefined;
    return Number.isNaN(el.startOffset) || el.isInsertedInRecovery ? undefined : el;
  }

  private node(c: Children, key: string, i = 0): CstNode | undefined {
    const el = c[key]?.[i];
    return el && "children" in el ? el : undefined;
  }

  private nodes(c: Children, key: string): CstNode[] {
    return (c[key] ?? []).filter((e): e is CstNode => "children" in e);
  }

  private ident(t: IToken): A.Ident {
    return { name: t.image, span: this.tokSpan(t) };
  }

  build(cst: CstNode, comments: A.Comment[]): A.FileAst {
    const c = cst.children as Children;
    const items: A.Item[] = [];
    const elements = [...this.nodes(c, "importDecl"), ...this.nodes(c, "paramDecl"), ...this.nodes(c, "declaration")];
    elements.sort((a, b) => (a.location?.startOffset ?? 0) - (b.location?.startOffset ?? 0));
    for (const n of elements) {
      const item = n.name === "importDecl" ? this.importDecl(n) : n.name === "paramDecl" ? this.paramDecl(n) : this.declaration(n);
      if (item) items.push(item);
    }
    this.reportJunk(c);
    const fileAst: A.FileAst = { kind: "file", items, comments, span: { file: this.file, start: 0, end: this.text.length } };
    attachDocs(fileAst, this.text);
    return fileAst;
  }

  /** Runs of tokens that cannot start an item: one diagnostic per run. */
  private reportJunk(c: Children): void {
    const junk = (c["junk"] ?? []).filter((e): e is IToken => !("children" in e));
    let prevEnd = -2;
    for (const t of junk) {
      const between = prevEnd >= 0 ? this.text.slice(prevEnd + 1, t.startOffset) : "x";
      if (prevEnd < 0 || /\S/.test(between)) {
        const found = t.tokenType.LABEL ?? `\`${t.image.slice(0, 20)}\``;
        this.diagnostics.push(diag("ExpectedDeclaration", this.tokSpan(t), { found }));
      }
      prevEnd = t.endOffset ?? t.startOffset;
    }
  }

  private importDecl(n: CstNode): A.ImportDecl | undefined {
    const c = n.children as Children;
    const str = this.tok(c, "StringLit");
    const alias = this.tok(c, "Identifier");
    if (!str || !alias) return undefined;
    return { kind: "import", path: this.stringValue(str), alias: this.ident(alias), span: this.nodeSpan(n) };
  }

  private paramDecl(n: CstNode): A.ParamDecl | undefined {
    const c = n.children as Children;
    const name = this.tok(c, "name");
    const type = this.tok(c, "type");
    if (!name || !type) return undefined;
    return { kind: "param", name: this.ident(name), type: this.ident(type), value: this.value(this.node(c, "value"), n), span: this.nodeSpan(n) };
  }

  private declaration(n: CstNode): A.Declaration | undefined {
    const c = n.children as Children;
    const kind = this.tok(c, "kind");
    const name = this.tok(c, "name");
    if (!kind || !name) return undefined;
    const d: A.Declaration = { kind: "decl", declKind: this.ident(kind), name: this.ident(name), span: this.nodeSpan(n) };
    const base = this.node(c, "base");
    if (base) {
      const r = this.reference(base);
      if (r) d.base = r;
    }
    const body = this.node(c, "body");
    if (body) d.body = this.record(body);
    return d;
  }

  private record(n: CstNode): A.RecordValue {
    const c = n.children as Children;
    const fields: A.Field[] = [];
    for (const f of this.nodes(c, "field")) {
      const fc = f.children as Children;
      const name = this.tok(fc, "name");
      if (!name) continue;
      const block = this.node(fc, "block");
      const value = block ? this.record(block) : this.value(this.node(fc, "value"), f);
      fields.push({ name: this.ident(name), form: block ? "block" : "assign", value, span: this.nodeSpan(f) });
    }
    const span = this.nodeSpan(n);
    return { kind: "record", fields, oneLine: !/[\r\n]/.test(this.text.slice(span.start, span.end)), span };
  }

  value(n: CstNode | undefined, parent: CstNode): A.Value {
    if (!n || n.recoveredNode) return { kind: "error", span: n ? this.nodeSpan(n) : this.nodeSpan(parent) };
    const c = n.children as Children;
    const span = this.nodeSpan(n);
    const numeric = this.node(c, "numeric");
    if (numeric) return this.numeric(numeric);
    const str = this.tok(c, "StringLit");
    if (str) return this.stringValue(str);
    if (this.tok(c, "True")) return { kind: "bool", value: true, span };
    if (this.tok(c, "False")) return { kind: "bool", value: false, span };
    if (this.tok(c, "None")) return { kind: "none", span };
    const list = this.node(c, "list");
    if (list) return this.list(list);
    const rec = this.node(c, "record");
    if (rec) return this.record(rec);
    const ref = this.node(c, "reference");
    if (ref) {
      const r = this.reference(ref);
      if (!r) return { kind: "error", span };
      const body = this.node(c, "ctorBody");
      if (body) {
        if (r.kind !== "ref") return { kind: "error", span };
        return { kind: "ctor", ctor: r.path, body: this.record(body), span };
      }
      return r;
    }
    return { kind: "error", span };
  }

  private list(n: CstNode): A.ListValue {
    const c = n.children as Children;
    const items = this.nodes(c, "value").map((v) => this.value(v, n));
    const span = this.nodeSpan(n);
    return { kind: "list", items, oneLine: !/[\r\n]/.test(this.text.slice(span.start, span.end)), span };
  }

  private numeric(n: CstNode): A.Value {
    const c = n.children as Children;
    const span = this.nodeSpan(n);
    const first = this.quantity(this.node(c, "first"));
    if (!first) return { kind: "error", span };
    const endNode = this.node(c, "rangeEnd");
    const perNode = this.node(c, "per");
    let v: A.Value = first;
    if (endNode) {
      const to = this.quantity(endNode);
      if (!to) return { kind: "error", span };
      v = { kind: "range", from: first, to, span: { file: this.file, start: first.span.start, end: to.span.end } };
    }
    if (perNode) {
      const per = this.quantity(perNode);
      if (!per || v.kind === "range") return { kind: "error", span };
      v = { kind: "rate", value: first, per, span };
    }
    return v;
  }

  private quantity(n: CstNode | undefined): A.NumberValue | A.QuantityValue | undefined {
    if (!n || n.recoveredNode) return undefined;
    const c = n.children as Children;
    const num = this.tok(c, "NumberLit");
    if (!num) return undefined;
    const minus = this.tok(c, "Minus");
    const span = this.nodeSpan(n);
    const text = (minus ? "-" : "") + num.image;
    let value = parseNumber(num.image);
    if (!Number.isFinite(value)) {
      this.diagnostics.push(diag("InvalidNumber", this.tokSpan(num), { text: num.image }));
      value = 0;
    }
    if (minus) value = -value;
    const pct = this.tok(c, "Percent");
    if (pct) return { kind: "quantity", value, text, unit: "%", unitText: "%", span };
    const unit = this.tok(c, "unit");
    if (unit) return { kind: "quantity", value, text, unit: normalizeUnit(unit.image), unitText: unit.image, span };
    return { kind: "number", value, text, span };
  }

  reference(n: CstNode): A.RefValue | A.CallValue | undefined {
    const c = n.children as Children;
    const head = this.tok(c, "head");
    if (!head) return undefined;
    const span = this.nodeSpan(n);
    // Members and calls interleave; rebuild their order from offsets.
    const members = (c["member"] ?? []).filter((e): e is IToken => !("children" in e) && !Number.isNaN(e.startOffset));
    const calls = this.nodes(c, "callArgs");
    if (calls.length === 0) return { kind: "ref", path: [this.ident(head), ...members.map((m) => this.ident(m))], span };
    const call = calls[0]!;
    const callStart = call.location?.startOffset ?? 0;
    const before = members.filter((m) => m.startOffset < callStart);
    const after = members.filter((m) => m.startOffset > callStart);
    if (before.length > 0 || calls.length > 1) return undefined; // only `f(args).members` is meaningful
    const args = this.nodes(call.children as Children, "value").map((v) => this.value(v, call));
    return { kind: "call", callee: this.ident(head), args, member: after.map((m) => this.ident(m)), span };
  }

  private stringValue(t: IToken): A.StringValue {
    const { value, errors } = unescape(t.image);
    for (const e of errors) {
      this.diagnostics.push(diag("InvalidEscape", { file: this.file, start: t.startOffset + e.offset, end: t.startOffset + e.offset + e.text.length }, { escape: e.text }));
    }
    return { kind: "string", value, raw: t.image, span: this.tokSpan(t) };
  }
}

export function normalizeUnit(word: string): A.Unit {
  switch (word) {
    case "px":
      return "px";
    case "image":
    case "images":
      return "images";
    case "step":
    case "steps":
      return "steps";
    default:
      return "epochs";
  }
}

const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9 };

/** Parses a number literal: `_` separators, exponent, count suffix. */
export function parseNumber(text: string): number {
  const last = text[text.length - 1] ?? "";
  const mult = SUFFIX[last];
  const digits = (mult ? text.slice(0, -1) : text).replace(/_/g, "");
  const v = Number(digits);
  if (!mult) return v;
  // Multiply without float noise: 1.5K is exactly 1500.
  return Number((v * mult).toPrecision(15));
}

interface EscapeError {
  offset: number;
  text: string;
}

export function unescape(raw: string): { value: string; errors: EscapeError[] } {
  const errors: EscapeError[] = [];
  let out = "";
  const body = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1] ?? "";
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
    if (next in simple) {
      out += simple[next];
      i++;
      continue;
    }
    const m = next === "u" ? /^u\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i + 1)) : null;
    const cp = m ? parseInt(m[1]!, 16) : NaN;
    if (m && cp <= 0x10ffff) {
      out += String.fromCodePoint(cp);
      i += m[0].length;
      continue;
    }
    errors.push({ offset: i + 1, text: `\\${next}` });
    i++;
  }
  return { value: out, errors };
}

/**
 * `///` runs directly above an item (no blank line between) document it; a `///` run at
 * the top of the file followed by a blank line documents the module.
 */
function attachDocs(f: A.FileAst, text: string): void {
  const docs = f.comments.filter((c) => c.kind === "doc");
  if (docs.length === 0) return;
  const runs: A.Comment[][] = [];
  for (const d of docs) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && onlyNewline(text.slice(prev.span.end, d.span.start))) run.push(d);
    else runs.push([d]);
  }
  const docText = (run: A.Comment[]) => run.map((c) => c.text.replace(/^\/\/\/ ?/, "")).join("\n");
  for (const run of runs) {
    const last = run[run.length - 1]!;
    const item = f.items.find((it) => it.span.start >= last.span.end);
    const gap = item ? text.slice(last.span.end, item.span.start) : "";
    if (item && onlyNewline(gap) && item.kind !== "import") item.doc = docText(run);
    else if (f.doc === undefined && run[0] === docs[0] && !f.items.some((it) => it.span.start < run[0]!.span.start)) f.doc = docText(run);
  }
}

function onlyNewline(gap: string): boolean {
  return /^[ \t]*(\r\n?|\n)[ \t]*$/.test(gap);
}
