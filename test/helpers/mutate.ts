/** Random edits of a text (for fuzzing recipes and inventories): delete, insert, replace or duplicate a slice. */
import fc from "fast-check";

export interface Mutation {
  at: number;
  len: number;
  insert: string;
  kind: "delete" | "insert" | "replace" | "duplicate";
}

export function mutationArb(fragments: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.record({
    at: fc.nat(),
    len: fc.nat({ max: 40 }),
    insert: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })),
    kind: fc.constantFrom("delete", "insert", "replace", "duplicate"),
  });
}

export function applyMutations(text: string, muts: readonly Mutation[]): string {
  for (const m of muts) {
    const at = m.at % (text.length + 1);
    if (m.kind === "delete") text = text.slice(0, at) + text.slice(at + m.len);
    else if (m.kind === "insert") text = text.slice(0, at) + m.insert + text.slice(at);
    else if (m.kind === "replace") text = text.slice(0, at) + m.insert + text.slice(at + m.len);
    else text = text.slice(0, at) + text.slice(at, at + m.len) + text.slice(at);
  }
  return text;
}
