/**
 * A depth-first walk that keeps its own stack instead of recursing, so a chain of thousands
 * of modules cannot exhaust the call stack. `step` sees each edge of the node on top of the
 * path (`path` ends with that node) and returns the node to go into next, if any; `leave`
 * runs when a node's edges are done.
 */
export function depthFirst<N, E>(root: N, edges: (n: N) => readonly E[], step: (edge: E, path: readonly N[]) => N | undefined, leave?: (n: N) => void): void {
  const path: N[] = [root];
  const frames: { edges: readonly E[]; next: number }[] = [{ edges: edges(root), next: 0 }];
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!;
    if (top.next >= top.edges.length) {
      frames.pop();
      const done = path.pop()!;
      leave?.(done);
      continue;
    }
    const into = step(top.edges[top.next++]!, path);
    if (into === undefined) continue;
    path.push(into);
    frames.push({ edges: edges(into), next: 0 });
  }
}
