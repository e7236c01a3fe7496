/**
 * Moves a finding from the line the evidence can name to the line to change,
 * when only the source tells them apart: the profile knows which function
 * spends time in `pbkdf2Sync` but not the line of the call, and query stacks
 * know the first query of a loop's body but not the loop's header. Runs when
 * the capture is made, with the target's sources; pure given the reader.
 */
import type { Finding } from '../capture/types.js';
import { formatPlace } from './evidence.js';
import { nativeWorkIn } from './facts/native-work.js';
import type { ReadSource } from './snippets.js';

/** How far below a function's first line its call is looked for. */
const CALL_SEARCH_LINES = 200;
/** How far above the loop body's first query the loop's header is looked for. */
const LOOP_SEARCH_LINES = 8;
const LOOP_HEADER =
  /\bfor\s*(await\s*)?\(|\bwhile\s*\(|\.(map|forEach|flatMap|reduce|filter)\s*\(|\bPromise\.all(Settled)?\s*\(/;
const FUNCTION_START = /\bfunction\b|=>\s*\{?\s*$|^\s*(async\s+)?[\w$]+\s*\([^)]*\)\s*\{\s*$/;

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The 1-based line at or after `from` that calls `callee`, if any within reach. */
export function callLine(lines: readonly string[], from: number, callee: string): number | undefined {
  const call = new RegExp(`\\b${escapeRegExp(callee)}\\s*\\(`);
  for (let line = from; line <= Math.min(lines.length, from + CALL_SEARCH_LINES); line++) {
    if (call.test(lines[line - 1] ?? '')) return line;
  }
  return undefined;
}

/**
 * The first line at or below `from` that passes `callee` on as an argument (`list.sort(byScore)`,
 * `rows.map(toDto)`): a function the caller hands to a built-in runs from there, with no call written.
 */
export function passedLine(lines: readonly string[], from: number, callee: string): number | undefined {
  const passed = new RegExp(`[(,]\\s*${escapeRegExp(callee)}\\s*[,)]`);
  for (let line = from; line <= Math.min(lines.length, from + CALL_SEARCH_LINES); line++) {
    if (passed.test(lines[line - 1] ?? '')) return line;
  }
  return undefined;
}

/** The loop header at or above `from` (a loop body's first query), stopping at the enclosing function. */
export function loopHeaderLine(lines: readonly string[], from: number): number | undefined {
  for (let line = from; line >= Math.max(1, from - LOOP_SEARCH_LINES); line--) {
    const text = lines[line - 1] ?? '';
    if (LOOP_HEADER.test(text)) return line;
    if (line < from && FUNCTION_START.test(text)) return undefined;
  }
  return undefined;
}

/** Marks a finding whose hot line may run a regular expression defined elsewhere in its file. */
export const HOT_LINE = 'hot-line';
/**
 * Marks a finding whose function's own time the profile put on the line where the function starts: its
 * lines are unknown (code a transform wrote on one line), unless the body shows where native work runs.
 */
export const HOT_HEADER = 'hot-header';

/**
 * A hot line that runs a pattern kept in a constant (`EMAIL.test(value)`,
 * `text.match(URL_RE)`) spends its time in that pattern's backtracking: the
 * pattern's definition is the line to change.
 */
export function patternDefinitionLine(lines: readonly string[], hotLine: number): number | undefined {
  const text = lines[hotLine - 1] ?? '';
  const used =
    /\b([A-Za-z_$][\w$]*)\.(?:test|exec)\s*\(/.exec(text)?.[1] ??
    /\.(?:match|matchAll|replace|replaceAll|split|search)\s*\(\s*([A-Za-z_$][\w$]*)\s*[,)]/.exec(text)?.[1];
  if (!used) return undefined;
  const definition = new RegExp(`\\b(?:const|let|var)\\s+${escapeRegExp(used)}\\s*=\\s*(?:/|new\\s+RegExp\\b)`);
  const at = lines.findIndex((line) => definition.test(line));
  return at >= 0 ? at + 1 : undefined;
}

export function refineLines(findings: Finding[], readSource: ReadSource): Finding[] {
  return findings.map((finding) => {
    const { location, callee } = finding;
    if (!location || !callee) return finding;
    const text = readSource(location.file.replace(/^file:\/\//, ''));
    if (text === undefined) return finding;
    const lines = text.split(/\r?\n/);
    const native = callee === HOT_HEADER ? nativeWorkIn(lines, location.line) : undefined;
    const line =
      callee === 'loop'
        ? loopHeaderLine(lines, location.line)
        : callee === HOT_LINE
          ? patternDefinitionLine(lines, location.line)
          : callee === HOT_HEADER
            ? native?.line
            : callLine(lines, location.line, callee);
    if (line === undefined || line === location.line) return finding;
    const moved = { ...location, line, column: 1 };
    // the title names the place too (`in the loop at a.js:7`): it must say the line the finding now points at
    const refined = {
      ...finding,
      title: finding.title
        .split(formatPlace(location))
        .join(formatPlace(moved))
        // a CPU finding names its function's place as `name (file:line)`
        .split(`(${location.file}:${location.line})`)
        .join(`(${location.file}:${line})`),
      location: moved,
    };
    if (native)
      refined.suggestion = `${native.call} runs in native code at line ${line}, and its time grows with what it is given: give it only what the response needs (filter or page first), or do it once and reuse the result.`;
    return refined;
  });
}
