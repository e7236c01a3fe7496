/**
 * Tables and indexes declared in SQL, wherever the SQL is written: a .sql
 * migration, a string or template literal run at start-up. A statement that
 * only reads or writes a table (`SELECT … FROM orders`) declares nothing. Pure.
 */
import type { TableDeclaration } from './declaration.js';
import { tableName } from './declaration.js';

/** One identifier, bare or quoted the PostgreSQL, MySQL or SQL Server way. */
const IDENT = String.raw`(?:"[^"\n]+"|\x60[^\x60\n]+\x60|\[[^\]\n]+\]|[A-Za-z_][\w$]*)`;
/** An identifier, optionally qualified by its schema. */
const NAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;

/** Temporary tables are scratch space of one session, not the schema. */
const CREATE_TABLE = new RegExp(
  String.raw`\bcreate\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?${NAME}\s*\(`,
  'gi',
);
const CREATE_INDEX = new RegExp(
  String.raw`\bcreate\s+(?:unique\s+)?(?:fulltext\s+|spatial\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:${IDENT}(?:\s*\.\s*${IDENT})?\s+)?on\s+(?:only\s+)?${NAME}`,
  'gi',
);
/** MySQL's `ALTER TABLE t ADD INDEX …` / `ADD UNIQUE KEY …`. */
const ALTER_ADD_INDEX = new RegExp(
  String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${NAME}\s+add\s+(?:unique\s+|fulltext\s+)?(?:index|key)\b`,
  'gi',
);

const PATTERNS: ReadonlyArray<[RegExp, TableDeclaration['kind']]> = [
  [CREATE_TABLE, 'table'],
  [CREATE_INDEX, 'index'],
  [ALTER_ADD_INDEX, 'index'],
];

/**
 * An index written inside its table's parentheses, on a line of its own (MySQL's `KEY idx (a, b)`, `UNIQUE KEY`,
 * `INDEX`, `FULLTEXT KEY`; a `PRIMARY KEY (…)` or `UNIQUE (…)` constraint in any dialect): a new index of that
 * table is written beside them.
 */
const INLINE_INDEX =
  /^[ \t]*(?:constraint\s+\S+\s+)?(?:primary\s+key|unique(?:\s+(?:key|index))?|(?:fulltext\s+|spatial\s+)?(?:key|index))\b[^,\n]*\(/gim;

/** Offset just past the parenthesis that closes the one open at `open`, or the text's end. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let at = open; at < text.length; at++) {
    const char = text[at];
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return at + 1;
  }
  return text.length;
}

/**
 * The column list of an index that opens at or after `from` (`(a, b DESC)` after `ON t`, `USING btree (a)`):
 * plain column names, lower-case; undefined when an entry is an expression (`lower(email)`).
 */
function columnList(text: string, from: number): string[] | undefined {
  const open = text.indexOf('(', from);
  if (open < 0 || open - from > 40) return undefined;
  const inner = text.slice(open + 1, closingParen(text, open) - 1);
  const columns = inner.split(',').map((entry) =>
    entry
      .trim()
      .replace(/\s+(?:asc|desc)$/i, '')
      .replace(/^["`[]|["`\]]$/g, '')
      .toLowerCase(),
  );
  return columns.every((column) => /^[\w$]+$/.test(column)) ? columns : undefined;
}

/** A table's options after its closing parenthesis, up to the statement's end: `ENGINE=InnoDB DEFAULT CHARSET=latin1`. */
const TABLE_CHARSET = /^[^;(]*?\b(?:char(?:acter)?\s+set|charset)\s*=?\s*[`'"]?(\w+)/i;
/** A column of its own character set, on a line of its own: `reference VARCHAR(24) CHARACTER SET latin1 NOT NULL`. */
const COLUMN_CHARSET = /^[ \t]*[`"]?([\w$]+)[`"]?\s+\w+[^,\n]*?\b(?:char(?:acter)?\s+set|charset)\s+[`'"]?(\w+)/gim;

/** MySQL and MariaDB call their three-byte UTF-8 `utf8` and `utf8mb3` alike. */
function charsetName(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'utf8' ? 'utf8mb3' : lower;
}

/** The character sets a table's declaration gives itself and its columns. */
function declaredCharsets(
  declared: TableDeclaration,
  text: string,
  bodyStart: number,
  bodyEnd: number,
  lineAt: (offset: number) => number,
): void {
  const options = TABLE_CHARSET.exec(text.slice(bodyEnd, bodyEnd + 300));
  if (options?.[1]) {
    const keyword = options[0].search(/(?:char(?:acter)?\s+set|charset)\s*=?\s*[`'"]?\w+$/i);
    declared.charset = { name: charsetName(options[1]), line: lineAt(bodyEnd + Math.max(keyword, 0)) };
  }
  const body = text.slice(bodyStart, bodyEnd);
  for (const column of body.matchAll(COLUMN_CHARSET)) {
    if (!column[1] || !column[2] || column.index === undefined) continue;
    declared.columnCharsets ??= {};
    declared.columnCharsets[column[1].toLowerCase()] = {
      name: charsetName(column[2]),
      line: lineAt(bodyStart + column.index + (column[0].length - column[0].trimStart().length)),
    };
  }
}

/** The SQL declarations in `text` (comments already blanked), with their lines. */
export function sqlDeclarations(file: string, text: string, lineAt: (offset: number) => number): TableDeclaration[] {
  const found: TableDeclaration[] = [];
  for (const [pattern, kind] of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const name = match[1];
      if (!name || match.index === undefined) continue;
      const line = lineAt(match.index);
      const endLine = lineAt(match.index + match[0].length - 1);
      const names = [tableName(name.replace(/\s+/g, ''))];
      const declared: TableDeclaration = { names, kind, file, line, endLine };
      const columns = kind === 'index' ? columnList(text, match.index + match[0].length) : undefined;
      if (columns) declared.columns = columns;
      found.push(declared);
      if (kind !== 'table') continue;
      const bodyStart = match.index + match[0].length - 1;
      const bodyEnd = closingParen(text, bodyStart);
      const body = text.slice(bodyStart, bodyEnd);
      declaredCharsets(declared, text, bodyStart, bodyEnd, lineAt);
      for (const inline of body.matchAll(INLINE_INDEX)) {
        if (inline.index === undefined) continue;
        const at = lineAt(bodyStart + inline.index + (inline[0].length - inline[0].trimStart().length));
        if (at <= line) continue;
        const columns = columnList(body, inline.index + inline[0].length - 1);
        found.push({ names, kind: 'index', file, line: at, endLine: at, ...(columns ? { columns } : {}) });
      }
    }
  }
  return found;
}
