/**
 * A chain of names for a message (`a -> b -> c`). A long one keeps its ends and says how many
 * names it leaves out, so a cycle through thousands of files or declarations stays one line.
 */
export function chainText(names: readonly string[], max = 9): string {
  if (names.length <= max) return names.join(" -> ");
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [...names.slice(0, head), `... (${names.length - head - tail} more)`, ...names.slice(names.length - tail)].join(" -> ");
}
