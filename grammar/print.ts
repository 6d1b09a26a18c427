/**
 * The canonical pretty-printer behind `seer fmt`. Layout rules:
 * - items keep their order; blank lines between items and fields collapse to at most one;
 * - a record or list written on one line stays on one line while it fits in MAX_WIDTH
 *   columns and holds no comment; otherwise one field (item) per line, indented by 2;
 * - fields in a run of one-line assignments align their `=` and trailing comments;
 * - every comment is kept: leading (own line), trailing (same line) or dangling (before `}`).
 * Printing is idempotent: fmt(fmt(x)) === fmt(x).
 */
import type * as A from "./ast.js";
import { pushAll } from "../core/arrays.js";

export const MAX_WIDTH = 120;
const INDENT = "  ";

interface Ctx {
  text: string;
  comments: A.Comment[];
  /**
   * Values already printed, by node and place (indent, column, comments): a list tries its
   * one-line form before its broken one, and without this each level of nesting would print
   * everything inside it twice over (2^depth: 90 nested lists took minutes).
   */
  printed: Map<A.Value, Map<string, string>>;
}

/** A child of a block (top-level item, record field or list item) with its comments. */
interface Child<T> {
  node: T;
  leading: A.Comment[];
  trailing?: A.Comment;
  blankBefore: boolean;
}

export function printFile(ast: A.FileAst, text: string): string {
  const ctx: Ctx = { text, comments: [...ast.comments].sort((a, b) => a.span.start - b.span.start), printed: new Map() };
  const { children, dangling } = distribute(ctx, ast.items, ctx.comments, 0);
  const out: string[] = [];
  children.forEach((c, i) => {
    if (i > 0 && c.blankBefore) out.push("");
    pushAll(out, leadingLines(ctx, c.leading, c.node.span.start, ""));
    const body = printItem(ctx, c.node, inner(ctx, c.node.span));
    out.push(c.trailing ? `${body}  ${commentText(c.trailing)}` : body);
  });
  if (dangling.length > 0) {
    if (out.length > 0 && blankBetween(ctx.text, children[children.length - 1]!.node.span.end, dangling[0]!.span.start)) out.push("");
    for (const d of dangling) out.push(commentText(d));
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/** Leading comments, keeping (collapsed) blank lines between them and before the node. */
function leadingLines(ctx: Ctx, leading: A.Comment[], nodeStart: number, indent: string): string[] {
  const out: string[] = [];
  leading.forEach((c, i) => {
    out.push(indent + commentText(c));
    const next = leading[i + 1]?.span.start ?? nodeStart;
    if (blankBetween(ctx.text, c.span.end, next)) out.push("");
  });
  return out;
}

function commentText(c: A.Comment): string {
  return c.text.replace(/[ \t]+$/gm, "");
}

/** Comments strictly inside a span. */
function inner(ctx: Ctx, span: { start: number; end: number }): A.Comment[] {
  return ctx.comments.filter((c) => c.span.start >= span.start && c.span.end <= span.end);
}

function blankBetween(text: string, from: number, to: number): boolean {
  return /\n[ \t]*\r?\n/.test(text.slice(from, to).replace(/\r\n/g, "\n"));
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Assigns comments to children: inside a child, trailing on its last line, or leading. */
function distribute<T extends { span: { start: number; end: number } }>(ctx: Ctx, nodes: readonly T[], comments: A.Comment[], from: number): { children: Child<T>[]; dangling: A.Comment[] } {
  const children: Child<T>[] = nodes.map((node) => ({ node, leading: [], blankBefore: false }));
  const dangling: A.Comment[] = [];
  for (const c of comments) {
    const inside = children.find((ch) => c.span.start >= ch.node.span.start && c.span.end <= ch.node.span.end);
    if (inside) {
      const box = containerSpan(inside.node);
      if (box && c.span.start > box.start && c.span.end < box.end) continue; // printed by the child's block
      inside.leading.push(c); // a comment inside a leaf value moves above it
      continue;
    }
    const prevIdx = findLastIndex(children, (ch) => ch.node.span.end <= c.span.start);
    const prev = children[prevIdx];
    if (prev && !prev.trailing && lineOf(ctx.text, prev.node.span.end) === lineOf(ctx.text, c.span.start) && c.kind !== "doc") {
      prev.trailing = c;
      continue;
    }
    const next = children[prevIdx + 1];
    if (next) next.leading.push(c);
    else dangling.push(c);
  }
  let cursor = from;
  for (const ch of children) {
    const first = ch.leading[0]?.span.start ?? ch.node.span.start;
    ch.blankBefore = blankBetween(ctx.text, cursor, first);
    cursor = (ch.trailing ?? ch.node).span.end;
  }
  return { children, dangling };
}

/** The bracketed block of a node that prints its own comments, if any. */
function containerSpan(node: unknown): { start: number; end: number } | undefined {
  const n = node as { kind?: string; body?: A.RecordValue; value?: A.Value; form?: string };
  if (n.kind === "decl") return n.body?.span;
  const v: A.Value | undefined = n.kind === "param" || n.form !== undefined ? n.value : (node as A.Value);
  if (!v) return undefined;
  if (v.kind === "record" || v.kind === "list") return v.span;
  if (v.kind === "ctor") return v.body.span;
  return undefined;
}

function findLastIndex<T>(xs: readonly T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}

function printItem(ctx: Ctx, item: A.Item, comments: A.Comment[]): string {
  switch (item.kind) {
    case "import":
      return `import ${item.path.raw} as ${item.alias.name}`;
    case "param": {
      const head = `param ${item.name.name}: ${item.type.name} = `;
      return head + printValue(ctx, item.value, "", head.length, comments);
    }
    case "decl": {
      let head = `${item.declKind.name} ${item.name.name}`;
      if (item.base) head += ` = ${printValue(ctx, item.base, "", head.length + 3, [])}`;
      if (!item.body) return head;
      return `${head} ${printRecord(ctx, item.body, "", head.length + 1, comments)}`;
    }
  }
}

/** Prints a value starting at column `col` on a line indented by `indent`. */
export function printValue(ctx: Ctx, v: A.Value, indent: string, col: number, comments: A.Comment[]): string {
  if (v.kind !== "record" && v.kind !== "list" && v.kind !== "ctor") return printValueOnce(ctx, v, indent, col, comments);
  const key = `${indent.length} ${col} ${comments.length}`;
  let byPlace = ctx.printed.get(v);
  if (!byPlace) ctx.printed.set(v, (byPlace = new Map()));
  const known = byPlace.get(key);
  if (known !== undefined) return known;
  const out = printValueOnce(ctx, v, indent, col, comments);
  byPlace.set(key, out);
  return out;
}

function printValueOnce(ctx: Ctx, v: A.Value, indent: string, col: number, comments: A.Comment[]): string {
  switch (v.kind) {
    case "number":
      return v.text;
    case "quantity":
      return v.unit === "%" || v.unit === "px" ? `${v.text}${v.unitText}` : `${v.text} ${v.unitText}`;
    case "string":
      return v.raw;
    case "bool":
      return String(v.value);
    case "none":
      return "none";
    case "range":
      return `${printValue(ctx, v.from, indent, col, [])}..${printValue(ctx, v.to, indent, col, [])}`;
    case "rate":
      return `${printValue(ctx, v.value, indent, col, [])} per ${printValue(ctx, v.per, indent, col, [])}`;
    case "ref":
      return v.path.map((p) => p.name).join(".");
    case "call": {
      const args = v.args.map((a) => printValue(ctx, a, indent, col, [])).join(", ");
      return `${v.callee.name}(${args})${v.member.map((m) => `.${m.name}`).join("")}`;
    }
    case "record":
      return printRecord(ctx, v, indent, col, comments);
    case "ctor": {
      const head = `${v.ctor.map((c) => c.name).join(".")} `;
      return head + printRecord(ctx, v.body, indent, col + head.length, comments);
    }
    case "list":
      return printList(ctx, v, indent, col, comments);
    case "error":
      return ctx.text.slice(v.span.start, v.span.end);
  }
}

function oneLineFields(ctx: Ctx, fields: readonly A.Field[]): string {
  return fields.map((f) => printField(ctx, f, "", 0, [], 0)).join("  ");
}

function printRecord(ctx: Ctx, rec: A.RecordValue, indent: string, col: number, comments: A.Comment[]): string {
  const mine = comments.filter((c) => c.span.start > rec.span.start && c.span.end < rec.span.end);
  if (rec.fields.length === 0 && mine.length === 0) return "{}";
  if (rec.oneLine && mine.length === 0) {
    const flat = `{ ${oneLineFields(ctx, rec.fields)} }`;
    if (!flat.includes("\n") && col + flat.length <= MAX_WIDTH) return flat;
  }
  const innerIndent = indent + INDENT;
  // A comment on the line of `{`, before the first field, stays there.
  const firstField = rec.fields[0];
  const braceLine = lineOf(ctx.text, rec.span.start);
  const header = mine.find((c) => lineOf(ctx.text, c.span.start) === braceLine && (!firstField || c.span.end <= firstField.span.start));
  const rest = header ? mine.filter((c) => c !== header) : mine;
  const { children, dangling } = distribute(ctx, rec.fields, rest, rec.span.start + 1);
  const lines = [header ? `{  ${commentText(header)}` : "{"];
  pushAll(lines, printFieldRuns(ctx, children, innerIndent));
  for (const d of dangling) lines.push(innerIndent + commentText(d));
  lines.push(`${indent}}`);
  return lines.join("\n");
}

/** Fields one per line; runs of one-line assignments align `=` and trailing comments. */
function printFieldRuns(ctx: Ctx, children: Child<A.Field>[], indent: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < children.length) {
    // Build a run of aligned one-line assignments. A field joins the run only if it, and every
    // field already in it, still prints on one line once padded to the run's alignment width.
    // Only values with brackets can break, and a wider alignment is the only thing that makes
    // one break: those are checked again when the width grows, so a run costs time in
    // proportion to its length, not its square.
    let j = i;
    let width = 0;
    const bracketed: Child<A.Field>[] = [];
    const oneLine = (c: Child<A.Field>, w: number) => !printField(ctx, c.node, indent, indent.length, inner(ctx, c.node.span), w).includes("\n");
    while (j < children.length) {
      const ch = children[j]!;
      if (j > i && (ch.blankBefore || ch.leading.length > 0)) break;
      if (ch.node.form !== "assign") break;
      const w = Math.max(width, ch.node.name.name.length);
      if (!oneLine(ch, w) || (w > width && !bracketed.every((c) => oneLine(c, w)))) break;
      width = w;
      if (mayBreak(ch.node.value)) bracketed.push(ch);
      j++;
    }
    if (j === i) {
      const ch = children[i]!;
      if (i > 0 && ch.blankBefore) out.push("");
      pushAll(out, leadingLines(ctx, ch.leading, ch.node.span.start, indent));
      const body = printField(ctx, ch.node, indent, indent.length, inner(ctx, ch.node.span), 0);
      out.push(indent + body + (ch.trailing ? `  ${commentText(ch.trailing)}` : ""));
      i++;
      continue;
    }
    const run = children.slice(i, j);
    const lines = run.map((ch) => indent + printField(ctx, ch.node, indent, indent.length, inner(ctx, ch.node.span), width));
    const commentCol = lines.reduce((m, l, k) => Math.max(m, run[k]!.trailing ? l.length : 0), 0);
    run.forEach((ch, k) => {
      if (k === 0 && i > 0 && ch.blankBefore) out.push("");
      if (k === 0) pushAll(out, leadingLines(ctx, ch.leading, ch.node.span.start, indent));
      const line = lines[k]!;
      out.push(ch.trailing ? `${line.padEnd(commentCol)}  ${commentText(ch.trailing)}` : line);
    });
    i = j;
  }
  return out;
}

/** Whether a value can print on more than one line (it holds a record or a list). */
function mayBreak(v: A.Value): boolean {
  return v.kind === "record" || v.kind === "list" || v.kind === "ctor" || (v.kind === "call" && v.args.some(mayBreak));
}

function printField(ctx: Ctx, f: A.Field, indent: string, col: number, comments: A.Comment[], align: number): string {
  const name = f.name.name;
  if (f.form === "block" && f.value.kind === "record") {
    return `${name} ${printRecord(ctx, f.value, indent, col + name.length + 1, comments)}`;
  }
  const head = `${align > 0 ? name.padEnd(align) : name} = `;
  // Comments inside a leaf value have no place to go but before the field.
  const v = printValue(ctx, f.value, indent, col + head.length, comments);
  return head + v;
}

function printList(ctx: Ctx, list: A.ListValue, indent: string, col: number, comments: A.Comment[]): string {
  const mine = comments.filter((c) => c.span.start > list.span.start && c.span.end < list.span.end);
  if (list.items.length === 0 && mine.length === 0) return "[]";
  if (list.oneLine && mine.length === 0) {
    const flat = `[${list.items.map((it) => printValue(ctx, it, "", 0, [])).join(", ")}]`;
    if (!flat.includes("\n") && col + flat.length <= MAX_WIDTH) return flat;
  }
  const innerIndent = indent + INDENT;
  const { children, dangling } = distribute(ctx, list.items, mine, list.span.start + 1);
  const lines = ["["];
  children.forEach((ch, i) => {
    if (i > 0 && ch.blankBefore) lines.push("");
    pushAll(lines, leadingLines(ctx, ch.leading, ch.node.span.start, innerIndent));
    const body = printValue(ctx, ch.node, innerIndent, innerIndent.length, inner(ctx, ch.node.span));
    lines.push(`${innerIndent}${body},${ch.trailing ? `  ${commentText(ch.trailing)}` : ""}`);
  });
  for (const d of dangling) lines.push(innerIndent + commentText(d));
  lines.push(`${indent}]`);
  return lines.join("\n");
}
