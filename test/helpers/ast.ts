/** AST comparison helpers: spans and formatting hints removed. */
export function withoutSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutSpans);
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "span" || k === "oneLine" || k === "comments") continue;
      out[k] = withoutSpans(v);
    }
    return out;
  }
  return node;
}
