/**
 * What a LIKE compares, read backwards from the operator: one column (`title`, `p.title`, `lower(title)`),
 * or an expression over several (`concat_ws(' ', description, l.address, d.address)`), which no index on
 * any one of its columns serves. A capture's `leadingWildcard` keeps a column by its name and an expression
 * as its call over its columns (`concat_ws(description, l.address, d.address)`), so the probe (statement
 * text) and diagnose (a PostgreSQL plan's Filter) write and read entries alike. Pure.
 */

/** `col`, `"t"."col"`, `` `col` ``, `(col)::text`: an argument that is a column, its qualifier and name. */
const COLUMN_ARG = /^\(?\s*(?:[`"]?([\w$]+)[`"]?\.)?[`"]?([A-Za-z_][\w$]*)[`"]?\s*\)?(?:\s*::\s*[\w ]+)?$/;
/** An identifier ending right before `end` (with its quote and qualifier). */
const NAME_BEFORE = /(?:[`"]?[\w$]+[`"]?\.)?[`"]?([\w$]+)[`"]?(?:\s*::\s*[\w ]+)?\s*$/;
const KEYWORDS = new Set(['null', 'true', 'false', 'text', 'varchar', 'character', 'varying']);

/** Where the parenthesis closing at `close` opens, walking back over nested ones and quoted text. */
function openingOf(text: string, close: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = close; i >= 0; i--) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === ')') {
      depth++;
    } else if (c === '(' && --depth === 0) {
      return i;
    }
  }
  return undefined;
}

/** The top-level arguments of a call's inside, split at the commas outside nested calls and quotes. */
function argumentsOf(inside: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(inside.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(inside.slice(start).trim());
  return args;
}

/** The columns among a call's arguments, qualified as written (`l.address`), literals and parameters left out. */
function columnArguments(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    const match = COLUMN_ARG.exec(arg);
    if (!match?.[2] || KEYWORDS.has(match[2].toLowerCase())) return [];
    return [match[1] ? `${match[1]}.${match[2]}` : match[2]];
  });
}

/**
 * What the LIKE whose operator starts at `end` compares: a column's name, or `call(col, t.col, …)` when the
 * subject is a call over two or more columns. Undefined when nothing readable precedes it.
 */
export function likeSubjectBefore(text: string, end: number): string | undefined {
  const head = text.slice(0, end).replace(/(?:\s*::\s*[\w ]+)?\s*$/, '');
  if (head.endsWith(')')) {
    const open = openingOf(head, head.length - 1);
    if (open !== undefined) {
      const call = /([\w$]+)\s*$/.exec(head.slice(0, open))?.[1];
      const args = argumentsOf(head.slice(open + 1, head.length - 1));
      const columns = columnArguments(args);
      if (call && columns.length >= 2) return `${call}(${columns.join(', ')})`;
      // one column inside (`lower(title)`, `(title)::text`): the column itself
      const last = columns[columns.length - 1];
      if (last) return last.split('.').pop();
      // a call inside a call (`lower(coalesce(title, ''))`): what the inner one compares
      const inner = args.length === 1 ? args[0] : undefined;
      if (inner?.endsWith(')')) return likeSubjectBefore(inner, inner.length);
    }
  }
  return NAME_BEFORE.exec(head)?.[1];
}

/** An entry of `leadingWildcard` that is an expression over several columns, and those columns. */
export function expressionColumns(entry: string): string[] | undefined {
  const match = /^[\w$]+\((.*)\)$/.exec(entry);
  return match?.[1]?.split(',').map((column) => column.trim());
}
