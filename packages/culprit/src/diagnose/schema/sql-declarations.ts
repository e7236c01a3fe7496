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

/** The SQL declarations in `text` (comments already blanked), with their lines. */
export function sqlDeclarations(file: string, text: string, lineAt: (offset: number) => number): TableDeclaration[] {
  const found: TableDeclaration[] = [];
  for (const [pattern, kind] of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const name = match[1];
      if (!name || match.index === undefined) continue;
      const line = lineAt(match.index);
      const endLine = lineAt(match.index + match[0].length - 1);
      found.push({ names: [tableName(name.replace(/\s+/g, ''))], kind, file, line, endLine });
    }
  }
  return found;
}
