/**
 * Lines of a compiled JavaScript file mapped onto its TypeScript source when
 * the compiler wrote no source map (tsc without `sourceMap`): tsc keeps the
 * statements and their layout and drops types, so the two files are the same
 * text but for the lines that carried types. A line diff pairs the equal
 * lines; a changed line (a signature that lost its types) pairs with the
 * source line of its change block that starts most like it. Pure.
 */
import { diffArrays } from 'diff';

const normal = (line: string): string => line.trim().replace(/\s+/g, ' ');

function commonPrefix(a: string, b: string): number {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  return at;
}

/** For each line of `compiled` (index = line − 1), the 1-based line of `source` it came from. */
export function twinLines(compiled: readonly string[], source: readonly string[]): number[] {
  const from = compiled.map(normal);
  const to = source.map(normal);
  const mapped: number[] = [];
  let sourceAt = 0; // 0-based index of the next source line
  const parts = diffArrays(from, to);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part) continue;
    if (!part.added && !part.removed) {
      for (let k = 0; k < part.value.length; k++) mapped.push(sourceAt + k + 1);
      sourceAt += part.value.length;
      continue;
    }
    // a change block: the lines only one side has, in either order, up to the next equal run
    let removed: string[] = [];
    let added = 0;
    for (; i < parts.length && (parts[i]?.added || parts[i]?.removed); i++) {
      const change = parts[i];
      if (change?.removed) removed = removed.concat(change.value);
      else if (change) added += change.value.length;
    }
    i--;
    let last = -1; // the block's source line (0-based within it) paired last: pairs keep their order
    for (const line of removed) {
      let best = -1;
      let score = 0;
      for (let k = last + 1; k < added; k++) {
        const shared = commonPrefix(line, to[sourceAt + k] ?? '');
        if (shared > score) [best, score] = [k, shared];
      }
      if (best >= 0) last = best;
      mapped.push(Math.min(sourceAt + Math.max(best >= 0 ? best : last + 1, 0), Math.max(source.length - 1, 0)) + 1);
    }
    sourceAt += added;
  }
  return mapped;
}
