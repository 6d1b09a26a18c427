/**
 * "Did you mean" suggestions: optimal-string-alignment (Damerau-Levenshtein) distance
 * with a similarity floor, case-insensitive, at most `max` candidates, closest first.
 * Names longer than `MAX_SUGGESTED_LENGTH` get no suggestion (a typo is not what makes a
 * name that long), and a comparison stops as soon as the distance is sure to exceed the
 * floor, so one suggestion costs time in proportion to the number of candidates.
 */

/** The longest name that is compared with candidates. */
export const MAX_SUGGESTED_LENGTH = 64;

/**
 * The distance between a and b, or any number above `limit` once it is certain to be
 * larger (rows of the table never decrease in their minimum). `cells` counts the table
 * cells computed, for callers that budget the work.
 */
export function editDistance(a: string, b: string, limit = Infinity, cells = { n: 0 }): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > limit) return limit + 1;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = new Array<number>(n + 1).fill(0);
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    cells.n += n;
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] ?? 0;
}

/** What looking at one candidate costs (lower-casing it, remembering it), in table cells. */
const CANDIDATE_COST = 16;

/** The closest candidates and the work it took, in distance-table cells (and their equivalent per candidate). */
export function rankCandidates(name: string, candidates: Iterable<string>, max = 3): { names: string[]; cost: number } {
  if (name.length > MAX_SUGGESTED_LENGTH) return { names: [], cost: 1 };
  const lower = name.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  const seen = new Set<string>();
  const cells = { n: 0 };
  for (const c of candidates) {
    cells.n += CANDIDATE_COST;
    if (seen.has(c) || c === name) continue;
    seen.add(c);
    const limit = Math.max(1, Math.floor(Math.max(name.length, c.length) / 3));
    const d = editDistance(lower, c.toLowerCase(), limit, cells);
    if (d <= limit) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1));
  return { names: scored.slice(0, max).map((s) => s.c), cost: cells.n };
}

export function suggest(name: string, candidates: Iterable<string>, max = 3): string[] {
  return rankCandidates(name, candidates, max).names;
}

/** "did you mean `a`?" / "did you mean `a`, `b` or `c`?" or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  return didYouMeanText(suggest(name, candidates));
}

export function didYouMeanText(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  return `did you mean ${orList(names.map((x) => `\`${x}\``))}?`;
}

/** A name as code in a message: `name`. */
export const code = (name: string): string => `\`${name}\``;

/**
 * At most `max` of the items (each as `show` writes it), in order, then `N more` for the rest:
 * a message that lists a dataset's splits stays one line however many it declares.
 */
export function capList(items: ReadonlySet<string> | readonly string[], show: (x: string) => string = code, max = 8): string[] {
  const total = "size" in items ? items.size : items.length;
  const out: string[] = [];
  for (const x of items) {
    if (out.length === (total > max ? max - 1 : max)) break;
    out.push(show(x));
  }
  if (total > out.length) out.push(`${total - out.length} more`);
  return out;
}

export function orList(items: string[], word = "or"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}
