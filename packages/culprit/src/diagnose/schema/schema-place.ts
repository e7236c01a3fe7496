/**
 * The one place a missing index of a table belongs: after the last index the
 * application declares for that table, else where it declares the table.
 * When the table is declared in several files and nothing says which one
 * rules (two migrations, a model and a raw script), there is no one place. Pure.
 */
import { declares, type TableDeclaration } from './declaration.js';

export interface SchemaPlace {
  declaration: TableDeclaration;
  /**
   * `index`: beside the table's other indexes; `table`: beside the table's declaration; `block`: the table's
   * declaration, which its indexes follow.
   */
  beside: 'index' | 'table' | 'block';
}

/**
 * A seed script fills tables with data; one that creates them too is a set-up
 * step run once (it stops when the data is there), not the schema the app
 * keeps: an index added there reaches no existing database. So is a script
 * that drops and recreates its tables, or that the server never loads
 * (`setUp`), whatever its name.
 */
const SEED_PATH = /(?:^|[/\\])(?:seeds?|seeders)[/\\]|(?:^|[/\\])seed[^/\\]*$/i;
/** Test code declares tables for its fixtures; built output repeats the sources. */
const TEST_PATH = /(?:^|[/\\])(?:test|tests|__tests__|spec|e2e)[/\\]|\.(?:test|spec)\.[cm]?[jt]s$/i;
const OUTPUT_PATH = /(?:^|[/\\])(?:dist|build|out|\.next|coverage)[/\\]/i;

/** The declarations outside test and output folders, or those inside when there is nothing else. */
function preferred(declarations: readonly TableDeclaration[]): TableDeclaration[] {
  let kept = [...declarations];
  for (const aside of [TEST_PATH, OUTPUT_PATH]) {
    const others = kept.filter((d) => !aside.test(d.file));
    if (others.length > 0) kept = others;
  }
  return kept;
}

const filesOf = (declarations: readonly TableDeclaration[]): Set<string> => new Set(declarations.map((d) => d.file));

/**
 * The table's own declaration when its indexes sit around it with no other
 * table declared among them (one `CREATE TABLE …; CREATE INDEX …` string, an
 * entity class with its `@Index` decorators, a model with its `indexes`
 * option): the block is declared there. Else undefined: a dump lists every
 * table first and every index after them, and a new index joins those.
 */
function blockStart(
  table: string,
  inFile: readonly TableDeclaration[],
  tables: readonly TableDeclaration[],
  all: readonly TableDeclaration[],
): TableDeclaration | undefined {
  const file = inFile[0]?.file;
  const lines = inFile.map((d) => d.line);
  const others = all.filter((d) => d.file === file && d.kind === 'table' && !declares(d, table));
  return tables.find((t) => {
    if (t.file !== file) return false;
    const from = Math.min(t.line, ...lines);
    const to = Math.max(t.line, ...lines);
    return !others.some((d) => d.line > from && d.line < to);
  });
}

export function schemaPlace(table: string, all: readonly TableDeclaration[]): SchemaPlace | undefined {
  const mine = preferred(all.filter((d) => declares(d, table) && !SEED_PATH.test(d.file) && !d.setUp && !d.mapsOnly));
  const tables = mine.filter((d) => d.kind === 'table');
  const indexes = mine.filter((d) => d.kind === 'index');
  const tableFiles = filesOf(tables);
  let indexFiles = filesOf(indexes);
  // indexes spread over migrations: the file that also creates the table holds the first ones
  if (indexFiles.size > 1) indexFiles = new Set([...indexFiles].filter((file) => tableFiles.has(file)));
  if (indexFiles.size === 1) {
    const [file] = indexFiles;
    const inFile = indexes.filter((d) => d.file === file);
    // the last index of that file: a new one is written after it
    const last = inFile.at(-1);
    const block = blockStart(table, inFile, tables, all);
    // indexes written after their table (CREATE INDEX after CREATE TABLE, a migration's `t.index`, a model's
    // `indexes` option, MySQL's KEY lines): the new one is written after the last of them; decorators above an
    // entity class are read with the class, so the block is named from the class
    if (block && !(last && inFile.every((d) => d.line > block.line))) return { declaration: block, beside: 'block' };
    if (last) return { declaration: last, beside: 'index' };
  }
  if (tableFiles.size !== 1) return undefined;
  const first = tables[0];
  return first ? { declaration: first, beside: 'table' } : undefined;
}
