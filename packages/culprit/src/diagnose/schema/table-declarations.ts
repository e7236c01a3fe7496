/**
 * Where the application declares its tables and indexes: every recogniser
 * (SQL, schema builders, ORMs) over the project's own source files, read
 * through the injected reader within a byte budget, so a large repository
 * costs little and a saved capture reads only the excerpts it kept. Pure
 * given the reader.
 */
import type { ReadSource } from '../snippets.js';
import type { TableDeclaration } from './declaration.js';
import { ormRecognisers } from './orm-declarations.js';
import { blankComments, lineIndex } from './source-text.js';
import { sqlDeclarations } from './sql-declarations.js';

/** Characters read over all files: a schema lives in a few files, a repository may hold thousands. */
export const SCHEMA_READ_BUDGET = 8 * 1024 * 1024;
/** A file larger than this is generated (a bundle, a dump), not where a developer declares a table. */
const MAX_FILE_CHARS = 512 * 1024;

/** Files whose text may declare a table: scripts, TypeScript and SQL. */
export const SCHEMA_FILE = /\.(?:[cm]?js|[cm]?ts|sql)$/i;

/** Cheap test before the recognisers run: most files name no table at all. */
const MAY_DECLARE =
  /create\s+(?:\w+\s+)?(?:table|index)|createTable|alterTable|\.table\s*\(|addIndex|createIndex|\.define\s*\(|\.init\s*\(|@Entity|EntitySchema|@Table|Table\s*\(|tableName|alter\s+table/i;

/**
 * A migration drops tables in its `down` step, and a schema dump (`.sql`)
 * drops each table before creating it; elsewhere, a script that drops tables
 * resets the database. Migrations live in a folder of their own, or in one
 * module that lists them in order (`db/migrate.ts`, `migrations.js`).
 */
const MIGRATION_PATH = /(?:^|[/\\])(?:migrations?[/\\]|migrations?\.[cm]?[jt]s$|migrate\.[cm]?[jt]s$)/i;
const DROPS_TABLES = /\bdrop\s+table\b/i;

/** The declarations written in one file's text. */
export function declarationsIn(file: string, text: string): TableDeclaration[] {
  if (!MAY_DECLARE.test(text)) return [];
  const clean = blankComments(text, /\.sql$/i.test(file));
  const lineAt = lineIndex(clean);
  const found = [
    sqlDeclarations(file, clean, lineAt),
    ...ormRecognisers.map((recognise) => recognise(file, clean, lineAt)),
  ]
    .flat()
    .sort((a, b) => a.line - b.line);
  return DROPS_TABLES.test(clean) && mayBeSetUp(file) ? found.map(asSetUp) : found;
}

/**
 * A module named for the schema (`db/schema.js`, `src/schema/orders.ts`): the team's record of its tables, as a
 * `.sql` file is, though a set-up script may be what runs it.
 */
const SCHEMA_MODULE = /(?:^|[/\\])schema(?:[/\\]|\.[cm]?[jt]s$)/i;

/** A file that may be a set-up script: not a migration, not SQL (a dump or schema file), not a schema module. */
function mayBeSetUp(file: string): boolean {
  return !MIGRATION_PATH.test(file) && !/\.sql$/i.test(file) && !SCHEMA_MODULE.test(file);
}

const asSetUp = (declaration: TableDeclaration): TableDeclaration => ({ ...declaration, setUp: true });

/**
 * Marks the declarations of scripts the server never loaded (`loaded`: the
 * files its V8 parsed) as set-up scripts: `npm run setup` creates tables the
 * app keeps nowhere else it runs. Models, schema modules run at start and
 * migrations stay. Without the list (a saved capture), nothing is marked.
 */
export function markSetUpScripts(
  declarations: readonly TableDeclaration[],
  loaded: ReadonlySet<string> | undefined,
): TableDeclaration[] {
  if (!loaded || loaded.size === 0) return [...declarations];
  return declarations.map((d) => (!loaded.has(d.file) && mayBeSetUp(d.file) ? asSetUp(d) : d));
}

/** The declarations of the given files, in their order, until the budget of characters read is spent. */
export function declarationsOf(
  files: readonly string[],
  readSource: ReadSource,
  budget = SCHEMA_READ_BUDGET,
): TableDeclaration[] {
  const found: TableDeclaration[] = [];
  let left = budget;
  for (const file of files) {
    if (left <= 0) break;
    if (!SCHEMA_FILE.test(file)) continue;
    const text = readSource(file);
    if (text === undefined) continue;
    left -= text.length;
    if (text.length > MAX_FILE_CHARS) continue;
    found.push(...declarationsIn(file, text));
  }
  return found;
}
