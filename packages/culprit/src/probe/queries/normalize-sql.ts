/**
 * Gives a query its shape: literals and placeholders become `?`, comments go,
 * whitespace collapses, IN-lists and repeated VALUES rows fold, so that the
 * same statement issued with different values (or by pg with `$1`, mysql2
 * after client-side formatting) groups as one. Identifiers ("quoted",
 * `backticked`) are kept. Pure: runs in the CLI, the probe or the viewer.
 */

const WORD = /[A-Za-z0-9_$]/;

/** Statements normalized lately (an app issues the same few texts again and again; the export worker normalizes each). */
const normalized = new Map<string, string>();
const NORMALIZED_MAX = 1024;
/** Longer texts (bulk inserts with their values inline) are normalized each time rather than kept. */
const NORMALIZED_KEPT_CHARS = 4096;

export function normalizeSql(sql: string): string {
  let shape = normalized.get(sql);
  if (shape === undefined) {
    shape = foldLists(scan(sql));
    if (sql.length <= NORMALIZED_KEPT_CHARS) {
      if (normalized.size >= NORMALIZED_MAX) normalized.clear();
      normalized.set(sql, shape);
    }
  }
  return shape;
}

/** One pass over the text: literals, placeholders and comments out, whitespace collapsed. */
function scan(sql: string): string {
  let out = '';
  let i = 0;
  const push = (text: string) => {
    if (text === ' ' && (out === '' || out.endsWith(' '))) return;
    out += text;
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1] ?? '';
    const prev = sql[i - 1] ?? '';
    if (/\s/.test(c)) {
      push(' ');
      i += 1;
    } else if (c === '-' && next === '-') {
      i = endOfLine(sql, i);
      push(' ');
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      push(' ');
    } else if (c === "'") {
      i = endOfString(sql, i, "'");
      push('?');
    } else if (/[EeNnXxBb]/.test(c) && next === "'" && !WORD.test(prev)) {
      i = endOfString(sql, i + 1, "'");
      push('?');
    } else if (c === '"' || c === '`') {
      const end = endOfString(sql, i, c);
      push(sql.slice(i, end));
      i = end;
    } else if (c === '$' && !WORD.test(prev) && /[0-9]/.test(next)) {
      i += 1;
      while (i < sql.length && /[0-9]/.test(sql[i] as string)) i += 1;
      push('?');
    } else if (c === '$' && !WORD.test(prev) && /[A-Za-z_$]/.test(next)) {
      const dollar = dollarQuote(sql, i);
      if (dollar) {
        i = dollar;
        push('?');
      } else {
        push(c);
        i += 1;
      }
    } else if (/[0-9]/.test(c) && !WORD.test(prev) && prev !== '.') {
      i = endOfNumber(sql, i);
      push('?');
    } else {
      push(c);
      i += 1;
    }
  }
  return out.trim();
}

function endOfLine(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end < 0 ? sql.length : end + 1;
}

/** Index after a quoted run starting at `from`; doubled quotes and backslash escapes stay inside. */
function endOfString(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\' && quote === "'") i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i += 1;
  }
  return sql.length;
}

/** PostgreSQL `$tag$ … $tag$` (and `$$ … $$`, reached via the tag-less branch below). */
function dollarQuote(sql: string, from: number): number | undefined {
  const tag = /^\$[A-Za-z_][A-Za-z0-9_]*\$/.exec(sql.slice(from))?.[0];
  if (!tag) return undefined;
  const end = sql.indexOf(tag, from + tag.length);
  return end < 0 ? undefined : end + tag.length;
}

function endOfNumber(sql: string, from: number): number {
  const match = /^(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?)/.exec(sql.slice(from));
  return from + (match?.[0].length ?? 1);
}

/** `IN (?, ?, ?)` → `IN (?)`; `VALUES (?, ?), (?, ?)` → `VALUES (?, ?), ...`. */
function foldLists(sql: string): string {
  return sql
    .replace(/\$\$[\s\S]*?\$\$/g, '?')
    .replace(/\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi, 'IN (?)')
    .replace(/(\([?,\s]*\))(?:\s*,\s*\1)+/g, '$1, ...');
}
