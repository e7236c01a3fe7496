/**
 * A hot function whose time is a callback it passes to a search through a list, inside its own loop
 * (`for (const mine of a.entries) { b.entries.find((e) => e.trackId === mine.trackId) … }`): V8 inlines the
 * callback and the search into the function, so the samples charge the function's own line, but the exact
 * counts show the callback called hundreds of times for each call of the function (580 million times in 2,398
 * calls). The search's line is the one to change: an index of the list built once (a Map by what is compared)
 * instead of a walk through it for every element. Pure given the reader.
 */
import type { ProfileFunction } from '../../capture/types.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';

export interface InnerSearch {
  /** The callback's line, where the search is written. */
  line: number;
  /** The search method the line calls (`find`), when the line says. */
  method?: string;
  callsPerRequest: number;
  /** Calls of the callback for each call of the function around it. */
  perCall: number;
  /** The function around the callback when it is not the hot one (inlined into it: a helper the hot one calls). */
  within?: { name: string; callsPerRequest: number };
}

/** Calls of the callback per call of the hot function from which its loop, not the function's own work, is the cost. */
const MIN_PER_CALL = 100;
/** The list methods that go through a list item by item to find or keep what a callback or value matches. */
export const SEARCH_METHODS = 'find|findIndex|findLast|findLastIndex|filter|some|every|includes|indexOf|lastIndexOf';
const SEARCH_CALL = new RegExp(`\\.(${SEARCH_METHODS})\\s*\\(`);

/** The last line of the function starting at `line` (1-based), by its braces; undefined when they do not close. */
function functionEnd(lines: readonly string[], line: number): number | undefined {
  let depth = 0;
  let opened = false;
  for (let at = line - 1; at < lines.length; at++) {
    // strings and comments rarely hold braces in a function's header and body; a wrong count only ends early
    const text = (lines[at] ?? '').replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '').replace(/\/\/.*$/, '');
    for (const char of text) {
      if (char === '{') {
        depth++;
        opened = true;
      } else if (char === '}') depth--;
    }
    if (opened && depth <= 0) return at + 1;
  }
  return undefined;
}

export function innerSearch(
  hot: ProfileFunction,
  functions: readonly ProfileFunction[],
  countedRequests: number,
  readSource: ReadSource | undefined,
): InnerSearch | undefined {
  if (!hot.file || !hot.calls || countedRequests <= 0) return undefined;
  const lines = readSource?.(hot.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  const end = lines && functionEnd(lines, hot.line);
  if (!lines || end === undefined) return undefined;
  const exploding = functions
    .filter(
      (fn) =>
        fn !== hot &&
        fn.file === hot.file &&
        (fn.calls ?? 0) / countedRequests >= settings.callStormPerRequest &&
        (fn.calls ?? 0) >= MIN_PER_CALL * (hot.calls ?? 0),
    )
    .sort((a, b) => (b.calls ?? 0) - (a.calls ?? 0));
  const own = exploding.find((fn) => fn.line > hot.line && fn.line <= end);
  if (own?.calls) return described(own, hot, lines, countedRequests, undefined);
  // V8 inlines a helper of the same file into the hot function (and its search into the helper): the samples
  // charge the hot one, the counts still name the helper's callback; only a search through a list says so
  const inlined = exploding.find((fn) => SEARCH_CALL.test(lines[fn.line - 1] ?? ''));
  const around = inlined && enclosing(inlined, functions, lines);
  return inlined && around?.calls ? described(inlined, around, lines, countedRequests, around) : undefined;
}

/** The named function of the same file whose body holds `fn`'s line, the innermost. */
function enclosing(
  fn: ProfileFunction,
  functions: readonly ProfileFunction[],
  lines: readonly string[],
): ProfileFunction | undefined {
  return functions
    .filter((other) => other.file === fn.file && other.line < fn.line && !other.name.startsWith('(anonymous'))
    .filter((other) => (functionEnd(lines, other.line) ?? 0) >= fn.line)
    .sort((a, b) => b.line - a.line)[0];
}

function described(
  callback: ProfileFunction,
  around: ProfileFunction,
  lines: readonly string[],
  countedRequests: number,
  within: ProfileFunction | undefined,
): InnerSearch {
  const calls = callback.calls ?? 0;
  const found: InnerSearch = {
    line: callback.line,
    callsPerRequest: calls / countedRequests,
    perCall: calls / Math.max(around.calls ?? 1, 1),
  };
  const method = SEARCH_CALL.exec(lines[callback.line - 1] ?? '')?.[1];
  if (method) found.method = method;
  if (within) found.within = { name: within.name, callsPerRequest: (within.calls ?? 0) / countedRequests };
  return found;
}
