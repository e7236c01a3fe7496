/**
 * Line/column ↔ offset arithmetic over a script's source text.
 *
 * CPU profiles locate functions by 0-based line and column, coverage by
 * character offset: joining the two needs this conversion. Offsets are UTF-16
 * code units, as V8 counts them.
 */

/**
 * The line starts of the sources split last, by their text. A diagnose splits each profiled script
 * four times (positions to map, the function table, hot lines, constructions), ~1.2 MB each time; the
 * same string is found again by its hash, which V8 keeps in the string. Bounded: `culprit watch`
 * builds profiles for as long as it runs.
 */
const recent = new Map<string, readonly number[]>();
const RECENT_SOURCES = 256;

/** Offsets at which each line starts (index 0 is line 0). Shared between callers: do not modify. */
export function lineStarts(source: string): readonly number[] {
  let starts = recent.get(source);
  if (!starts) {
    starts = splitLines(source);
    if (recent.size >= RECENT_SOURCES) recent.delete(recent.keys().next().value as string);
    recent.set(source, starts);
  }
  return starts;
}

function splitLines(source: string): number[] {
  const starts = [0];
  // indexOf scans natively: a diagnose splits ~1.4 MB of scripts into lines four times, and the loop below
  // cost ~25 ms of a short-lived CLI's CPU against ~10 (bench/probe/README.md, diagscale2)
  if (!source.includes('\r')) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < source.length; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13 && source.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Offset of a 0-based line/column; V8's -1/-1 (module top level) maps to 0. */
export function offsetAt(starts: readonly number[], line: number, column: number): number {
  if (line < 0) return 0;
  const start = starts[Math.min(line, starts.length - 1)] ?? 0;
  return start + Math.max(column, 0);
}

/** 0-based line and column of an offset. */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - (starts[lo] ?? 0) };
}
