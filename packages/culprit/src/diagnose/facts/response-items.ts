/**
 * Where loaded rows become a response's collection, read from the source:
 * after the statement that receives a query's result (`const rows = await
 * repo.list(id)`), the line that puts those rows, or names derived from them,
 * under the body's collection key (`photos: rows.map(toDto)`). A large body is
 * decided there: how many rows go out and what each item carries. Lexical,
 * like data-flow.ts; it finds nothing rather than guess when the key or the
 * names do not appear. Pure.
 */
import { boundNames, statementAt, usedNames } from './data-flow.js';

/** How far below the receiving statement the collection's line is looked for. */
const ITEMS_REACH = 40;

/** `line` with strings blanked and line comments cut, for bracket counting; columns keep their places. */
function code(line: string): string {
  return line
    .replace(/(['"`])(?:\\.|(?!\1).)*\1/g, (literal) => `"${' '.repeat(literal.length - 2)}"`)
    .replace(/\/\/.*$/, '');
}

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The expression assigned from column `from` of a 1-based line: up to the
 * comma, closing bracket or semicolon that ends it (it may span lines:
 * `photos: rows\n  .filter(visible)\n  .map(toDto)`).
 */
function valueAt(lines: readonly string[], line: number, from: number): string {
  let depth = 0;
  let value = '';
  for (let at = line; at < Math.min(lines.length + 1, line + ITEMS_REACH); at++) {
    const text = code(lines[at - 1] ?? '');
    for (let i = at === line ? from : 0; i < text.length; i++) {
      const char = text[i] as string;
      if (char === '(' || char === '[' || char === '{') depth++;
      if (char === ')' || char === ']' || char === '}') depth--;
      if (depth < 0 || (depth === 0 && (char === ',' || char === ';'))) return value;
      value += char;
    }
    value += '\n';
  }
  return value;
}

/**
 * The 1-based line, below `callLine` and in the same function, that sets the
 * body's collection (`itemsPath`'s last key, as a property: `photos: …`,
 * `photos = …`, `.photos = …`) from the names the statement at `callLine`
 * binds or names derived from them. Undefined for a top-level array (no key),
 * a statement that binds nothing (`return repo.list()`), or no such line.
 */
export function collectionLine(
  lines: readonly string[],
  callLine: number,
  itemsPath: string | undefined,
): number | undefined {
  const key = itemsPath?.split('.').pop();
  if (!key) return undefined;
  const first = statementAt(lines, callLine);
  const rows = boundNames(first);
  if (rows.size === 0) return undefined;
  const k = escapeRegExp(key);
  // `photos: rows`, `'photos': rows`, `body.photos = rows`, `photos = rows`, or shorthand `{ album, photos }`
  const setsKey = new RegExp(`(?:^|[\\s{,.(])['"]?${k}['"]?\\s*(?::|=(?!=))`);
  const shorthand = new RegExp(`[{,]\\s*${k}\\s*[,}]`);
  let depth = 0;
  // statementAt ends every line it read with a newline: the statement spans that many lines
  const after = callLine + first.split('\n').length - 1;
  for (let at = after; at <= Math.min(lines.length, callLine + ITEMS_REACH); at++) {
    const text = (lines[at - 1] ?? '').replace(/\/\/.*$/, '');
    const set = setsKey.exec(text);
    if (set) {
      const uses = usedNames(valueAt(lines, at, set.index + set[0].length));
      if ([...rows].some((name) => uses.has(name))) return at;
    }
    if (rows.has(key) && shorthand.test(text)) return at;
    // names derived from the rows (`const dtos = rows.map(toDto)`) carry them too
    const statement = statementAt(lines, at);
    if ([...rows].some((name) => usedNames(statement.replace(/^[^=]*?=(?!=)/, '')).has(name)))
      for (const name of boundNames(statement)) rows.add(name);
    for (const char of code(text)) {
      if (char === '{') depth++;
      if (char === '}') depth--;
    }
    // the receiving function closed: the collection is built by a caller, if at all
    if (depth < 0) return undefined;
  }
  return undefined;
}
