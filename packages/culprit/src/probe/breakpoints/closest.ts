/**
 * "Did you mean": the names closest to what the user typed, for the error of
 * an unknown class or file in `--log`/`--when`. Pure.
 */

/** Up to `limit` candidates ordered by edit distance to `wanted` (case-insensitive), ties by name. */
export function closestNames(wanted: string, candidates: Iterable<string>, limit = 5): string[] {
  const target = wanted.toLowerCase();
  const scored = [...new Set(candidates)].map((name) => ({ name, score: distance(target, name.toLowerCase()) }));
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((entry) => entry.name);
}

/** Levenshtein distance, where containing the wanted text counts as close. */
function distance(a: string, b: string): number {
  if (b.includes(a) || a.includes(b)) return Math.abs(a.length - b.length) / 10;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
