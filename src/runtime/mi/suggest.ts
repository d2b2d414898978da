/** Edit distance (insert, delete, substitute), two rows of memory. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Longest input worth a suggestion. Edit distance costs input × candidate length per
 * candidate: a 1 MB method name blocked the event loop for 2.9 s (issue 12, point 10).
 * No real name comes close to this, so longer input gets no suggestion at all.
 */
export const MAX_SUGGEST_CHARS = 64;

/**
 * The `limit` candidates nearest to `input` (case-insensitive), nearest first, ties
 * alphabetical; none when `input` is longer than MAX_SUGGEST_CHARS (bounded work).
 */
export function nearest(input: string, candidates: Iterable<string>, limit = 3): string[] {
  if (input.length > MAX_SUGGEST_CHARS) return [];
  const wanted = input.toLowerCase();
  return [...new Set(candidates)]
    .map((name) => ({ name, distance: levenshtein(wanted, name.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((entry) => entry.name);
}
