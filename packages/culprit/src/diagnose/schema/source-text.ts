/**
 * Source text made fit for pattern matching: comments blanked (a declaration
 * in a comment declares nothing), offsets turned into lines, and the extent
 * of a call found by its parentheses. Pure.
 */

/** `--` starts an SQL comment only before a space or the line's end: `i--;` is JavaScript. */
const SQL_LINE_COMMENT = /(^|[ \t(;,'"`])--(?=[ \t]|$)[^\n]*/gm;
/** `//` after `:` is a URL (`postgres://…`), not a comment. */
const JS_LINE_COMMENT = /(^|[^:\\'"`])\/\/[^\n]*/gm;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;

const blank = (text: string): string => text.replace(/[^\n]/g, ' ');

/** One line of code with its quoted text emptied and its `//` comment cut: braces and calls there do not count. */
export function codeOfLine(text: string): string {
  return text.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '');
}

/**
 * The text with its comments turned into spaces, lines and offsets kept:
 * block comments and SQL `--` comments everywhere (SQL lives in JavaScript
 * strings too), `//` comments outside .sql files.
 */
export function blankComments(text: string, sqlFile: boolean): string {
  let out = text.replace(BLOCK_COMMENT, blank);
  out = out.replace(SQL_LINE_COMMENT, (match, before: string) => before + blank(match.slice(before.length)));
  if (!sqlFile)
    out = out.replace(JS_LINE_COMMENT, (match, before: string) => before + blank(match.slice(before.length)));
  return out;
}

/** 1-based line of each offset, by binary search over the line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** How far a call's closing parenthesis is looked for: a model's definition, not the rest of a bundle. */
const MAX_SPAN = 20_000;

/**
 * The offset just past the bracket that closes the one at `open` (`(`, `{`
 * or `[`), skipping strings; the end of the reach when it is not found.
 */
export function closingOffset(text: string, open: number): number {
  const end = Math.min(text.length, open + MAX_SPAN);
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return end;
      i = close;
    } else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return end;
}
