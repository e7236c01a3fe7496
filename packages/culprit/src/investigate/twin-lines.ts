/**
 * Lines of a compiled JavaScript file mapped onto its TypeScript source when
 * the compiler wrote no source map (tsc without `sourceMap`): tsc keeps the
 * statements and their layout and drops types, so the two files are the same
 * text but for the lines that carried types. A line diff pairs the equal
 * lines; a changed line (a signature that lost its types, an `export default`
 * tsc split in two) pairs with the source line of its change block that shares
 * most of its words, in order. Pure.
 */
// the array diff alone: the package's index loads its 20 modules (patches, words, JSON) at every diagnose
import { diffArrays } from 'diff/lib/diff/array.js';

const normal = (line: string): string => line.trim().replace(/\s+/g, ' ');

function commonPrefix(a: string, b: string): number {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  return at;
}

const WORD = /[A-Za-z_$][\w$]*|\d+|'[^']*'|"[^"]*"|`[^`]*`/g;

/**
 * How alike two lines are: the compiled line's words the source line has, then
 * their common start; 0 when the source line lacks most of its words (a helper
 * tsc adds, `"use strict"`, must not pull the pairing down the block).
 */
function likeness(compiled: string, source: string): number {
  const left = new Map<string, number>();
  for (const word of source.match(WORD) ?? []) left.set(word, (left.get(word) ?? 0) + 1);
  const words = compiled.match(WORD) ?? [];
  let shared = 0;
  for (const word of words) {
    const count = left.get(word) ?? 0;
    if (count === 0) continue;
    shared++;
    left.set(word, count - 1);
  }
  if (shared * 2 < words.length || shared === 0) return 0;
  // the common start only breaks ties between lines sharing as many words
  return shared + Math.min(commonPrefix(compiled, source), 999) / 1000;
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
        const alike = likeness(line, to[sourceAt + k] ?? '');
        if (alike > score) [best, score] = [k, alike];
      }
      if (best >= 0) last = best;
      // nothing alike: the block's next source line that holds code, not a blank line between functions
      let fallback = last + 1;
      while (best < 0 && fallback < added - 1 && (to[sourceAt + fallback] ?? '') === '') fallback++;
      mapped.push(Math.min(sourceAt + (best >= 0 ? best : fallback), Math.max(source.length - 1, 0)) + 1);
    }
    sourceAt += added;
  }
  return mapped;
}
