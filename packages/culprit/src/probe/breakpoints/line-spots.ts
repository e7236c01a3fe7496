/**
 * Where a `FILE:LINE` breakpoint goes in the generated code, checked with V8
 * so it fires on that line of that function and nowhere else:
 *
 * - FILE must name one loaded file: a suffix matching two (`src/index.ts` in
 *   two packages) is an error listing them, never breakpoints in both;
 * - a line without code (blank, comment, a type) moves to the next line with
 *   code only inside the same function (V8's `restrictToFunction`): moving
 *   out of a function, or into the next one, is an error naming the lines
 *   that have code;
 * - V8 places a breakpoint at the next breakable location at or after the
 *   position asked; where that is in another function (a class field's line,
 *   a declaration V8 cannot stop on), the breakpoint is removed and refused.
 */
import type { MainThreadDebugger } from './cdp.js';
import { type DecodedMap, generatedPosition, originalPosition } from './source-map-decode.js';
import { UnknownTargetError } from './target-errors.js';

/** Lines a blank or comment line may move forward to find code, as debuggers do. */
const LOOKAHEAD = 5;

export interface LineSpot {
  scriptId: string;
  /** Generated, 0-based. */
  line: number;
  column: number;
  /** Original file and 0-based line the breakpoint stands for. */
  file: string;
  originalLine: number;
}

interface V8Location {
  scriptId: string;
  lineNumber: number;
  columnNumber: number;
}

/** The last line before `line` with code, as a generated position (for the same-function check). */
function codeBefore(map: DecodedMap, source: number, line: number): { line: number; column: number } | undefined {
  for (let wanted = line - 1; wanted >= 0 && wanted >= line - 200; wanted -= 1) {
    const at = generatedPosition(map, source, wanted, 0);
    if (at) return at;
  }
  return undefined;
}

interface BreakLocation extends V8Location {
  type?: string;
}

const sources = new Map<string, Promise<string[]>>();

/** The character of the generated script at a position ('' when unknown). */
async function charAt(debug: MainThreadDebugger, at: V8Location): Promise<string> {
  let lines = sources.get(at.scriptId);
  if (!lines) {
    lines = debug
      .post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId: at.scriptId })
      .then((result) => result.scriptSource.split('\n'))
      .catch(() => []);
    sources.set(at.scriptId, lines);
  }
  return (await lines)[at.lineNumber]?.[at.columnNumber] ?? '';
}

/**
 * Where V8 would really stop for a breakpoint asked at `at`: its first
 * breakable location there or after. A `return` location exactly at `at`
 * belongs to the function whose `}` is there, or, when `at` is not a `}`, to
 * one that ended just before: on a minified line, `…}}function names(` puts
 * the previous function's end at the next one's start. That one is skipped.
 */
async function firstBreakable(debug: MainThreadDebugger, at: V8Location): Promise<BreakLocation | undefined> {
  const { locations } = await debug.post<{ locations: BreakLocation[] }>('Debugger.getPossibleBreakpoints', {
    start: at,
    end: { scriptId: at.scriptId, lineNumber: at.lineNumber + 2, columnNumber: 0 },
  });
  const [first, second] = locations;
  const atStart = first?.lineNumber === at.lineNumber && first.columnNumber === at.columnNumber;
  if (first?.type === 'return' && atStart && (await charAt(debug, at)) !== '}') return second;
  return first;
}

/**
 * True when the breakable location `to` is in the same (non-nested) function
 * as the position `from`. Lines cannot tell: tsx emits a whole module on one
 * generated line, so every function shares it.
 */
async function sameFunction(debug: MainThreadDebugger, from: V8Location, to: V8Location): Promise<boolean> {
  const { locations } = await debug.post<{ locations: V8Location[] }>('Debugger.getPossibleBreakpoints', {
    start: from,
    end: { scriptId: to.scriptId, lineNumber: to.lineNumber, columnNumber: to.columnNumber + 1 },
    restrictToFunction: true,
  });
  return locations.some((l) => l.lineNumber === to.lineNumber && l.columnNumber === to.columnNumber);
}

/**
 * The generated position for `line` (0-based) of source `source` in a mapped
 * script; throws UnknownTargetError when the line has no code of its own and
 * the next code is in another function.
 */
export async function spotInMappedScript(
  debug: MainThreadDebugger,
  scriptId: string,
  map: DecodedMap & { files: string[] },
  source: number,
  line: number,
  shown: string,
): Promise<LineSpot | undefined> {
  const file = map.files[source] ?? '';
  const at = generatedPosition(map, source, line, LOOKAHEAD);
  if (!at) return undefined;
  const asked = { scriptId, lineNumber: at.line, columnNumber: at.column };
  const stop = await firstBreakable(debug, asked).catch(() => undefined);
  if (!stop) return { scriptId, line: at.line, column: at.column, file, originalLine: at.originalLine };
  const spot = { scriptId, line: stop.lineNumber, column: stop.columnNumber, file, originalLine: at.originalLine };
  if (at.originalLine !== line) {
    // a line without code: moving on is fine inside one function, not into another
    const before = codeBefore(map, source, line);
    const from = before && { scriptId, lineNumber: before.line, columnNumber: before.column };
    if (from && (await sameFunction(debug, from, stop).catch(() => false))) return spot;
    throw new UnknownTargetError(
      `${shown}: line ${line + 1} has no code (blank, a comment or a type) and the next code, line ${at.originalLine + 1}, is in another function; put the breakpoint on a line with code`,
    );
  }
  // V8 stops at the next breakable location: it must be in a function the line's own code is in
  for (const segment of map.segments) {
    if (segment.source !== source || segment.originalLine !== line) continue;
    const anchor = { scriptId, lineNumber: segment.generatedLine, columnNumber: segment.generatedColumn };
    if (await sameFunction(debug, anchor, stop).catch(() => false)) return spot;
  }
  const landed = originalPosition(map, stop.lineNumber, stop.columnNumber);
  const where = landed && landed.line !== line ? ` (at line ${landed.line + 1})` : '';
  throw new UnknownTargetError(
    `${shown}: V8 can stop for line ${line + 1} only inside another function${where}, not in the code of that line (a class body or a declaration runs elsewhere); put the breakpoint on a line inside a function`,
  );
}

/**
 * After V8 placed a breakpoint: where it really went. Refused (false) when V8
 * moved it into another function than the line asked for.
 */
export async function placedWhereAsked(
  debug: MainThreadDebugger,
  spot: LineSpot,
  actual: V8Location | undefined,
  map: DecodedMap | null,
): Promise<{ ok: boolean; actualLine?: number }> {
  if (!actual || (actual.lineNumber === spot.line && actual.columnNumber === spot.column)) return { ok: true };
  const asked = { scriptId: spot.scriptId, lineNumber: spot.line, columnNumber: spot.column };
  const ok = await sameFunction(debug, asked, actual).catch(() => true); // no answer: trust V8's choice
  const original = map ? originalPosition(map, actual.lineNumber, actual.columnNumber) : undefined;
  const actualLine = original ? original.line + 1 : actual.lineNumber + 1;
  return { ok, actualLine };
}
