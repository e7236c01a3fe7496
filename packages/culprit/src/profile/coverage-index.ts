/**
 * Exact call counts from V8 precise coverage (count mode), looked up by the
 * source position of a CPU-profile frame.
 *
 * Coverage ranges start at the `function` keyword (or `class`, `async`, the
 * arrow's parameters), profile frames at the parameter list's `(`: so the
 * function of a frame is the innermost range containing the frame's offset.
 * A class constructor's count is the class range's count. Counts of several
 * takes (one per request window) are summed.
 */
import type { RawScriptCoverage } from '../target/types.js';

export interface CountedRange {
  scriptId: string;
  url: string;
  /** V8's name for the function ('' for anonymous ones and script top levels). */
  name: string;
  start: number;
  end: number;
  count: number;
}

export class CoverageIndex {
  /** scriptId → ranges, sorted by start then by widest first. */
  readonly #byScript = new Map<string, CountedRange[]>();

  /** Sums one or more takes of `Profiler.takePreciseCoverage` (count mode, not detailed). */
  constructor(takes: ReadonlyArray<readonly RawScriptCoverage[]>) {
    const sums = new Map<string, Map<string, CountedRange>>();
    for (const take of takes) {
      for (const script of take) {
        let ranges = sums.get(script.scriptId);
        if (!ranges) {
          ranges = new Map();
          sums.set(script.scriptId, ranges);
        }
        for (const fn of script.functions) {
          // In count mode (not detailed) the first range is the whole function.
          const range = fn.ranges[0];
          if (!range) continue;
          const key = `${range.startOffset}:${range.endOffset}`;
          const seen = ranges.get(key);
          if (seen) seen.count += range.count;
          else
            ranges.set(key, {
              scriptId: script.scriptId,
              url: script.url,
              name: fn.functionName,
              start: range.startOffset,
              end: range.endOffset,
              count: range.count,
            });
        }
      }
    }
    for (const [scriptId, ranges] of sums) {
      this.#byScript.set(
        scriptId,
        [...ranges.values()].sort((a, b) => a.start - b.start || b.end - a.end),
      );
    }
  }

  /**
   * Every function of the app and its dependencies the count pass saw called
   * at least once; script top levels and Node's internals (hundreds of
   * scripts, noise in a table about the app) are left out.
   */
  *called(): Generator<CountedRange> {
    for (const ranges of this.#byScript.values()) {
      for (const range of ranges) {
        if (range.count === 0 || (range.start === 0 && range.name === '')) continue;
        if (range.url === '' || range.url.startsWith('node:')) continue;
        yield range;
      }
    }
  }

  /**
   * The range (with its exact calls) of the function whose frame sits at `offset`, or null when no range
   * plausibly is that function (script unseen, or only an enclosing function's
   * range contains it, which would give the parent's count).
   */
  rangeAt(scriptId: string, offset: number, source: string): CountedRange | null {
    const ranges = this.#byScript.get(scriptId);
    if (!ranges) return null;
    let best: CountedRange | undefined;
    let after: CountedRange | undefined;
    for (const range of ranges) {
      if (range.start > offset) {
        after = range;
        break;
      }
      if (offset < range.end && (!best || range.end - range.start <= best.end - best.start)) best = range;
    }
    // V8 12.4+ (Node 24) starts a class's field initializer at its first field while the
    // profiler may place the frame at `class Name {`, at its `{`, or in the whitespace before
    // the field: the range just after is that class's
    if (after && /^\s*(class\b[^{]*)?\{?\s*$/.test(source.slice(offset, after.start))) return after;
    if (best && isHeaderOf(source.slice(best.start, offset))) return best;
    return null;
  }
}

/** The index last built for each list of takes, with the list's length then (a list that grew is indexed again). */
const built = new WeakMap<ReadonlyArray<readonly RawScriptCoverage[]>, { length: number; index: CoverageIndex }>();

/**
 * One index per list of takes: a diagnose asks for the same takes' index three
 * times (positions to map, scripts to read, the function table), and each
 * build keys and sorts every function of every script the takes hold (count
 * mode reports them all, Node's internals included). Ranges are never changed
 * after the build, so the three share it.
 */
export function coverageIndexOf(takes: ReadonlyArray<readonly RawScriptCoverage[]>): CoverageIndex {
  const known = built.get(takes);
  if (known && known.length === takes.length) return known.index;
  const index = new CoverageIndex(takes);
  built.set(takes, { length: takes.length, index });
  return index;
}

/**
 * Whether the text between a range's start and a frame's offset is a function
 * header (`function name`, `async name`, `get x`, `static m`) rather than a body:
 * a body would mean the range is an enclosing function. A class range holds
 * its constructor, so a header starting with `class` is accepted whole.
 */
function isHeaderOf(between: string): boolean {
  if (/^\s*class\b/.test(between)) return true;
  return !/[{};]/.test(between);
}
