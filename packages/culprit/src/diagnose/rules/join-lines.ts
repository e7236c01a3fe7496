/**
 * Where a query that joins several collections says which ones: the lines of
 * its call that name the joined tables (Sequelize's `include: [{ model:
 * Review, as: 'reviews' }]`, TypeORM's `relations`, a builder's
 * `.leftJoinAndSelect('r.reviews', …)`, MikroORM's `populate`). Each join
 * multiplies the rows of the others; splitting them (`separate: true`, a
 * query of their own) is the fix, written there. Pure given the reader.
 */
import type { SourceLocation } from '../../capture/types.js';
import { statementAt } from '../facts/data-flow.js';
import { declares, type TableDeclaration } from '../schema/declaration.js';
import { eagerRelationLine } from '../schema/eager-relations.js';
import type { ReadSource } from '../snippets.js';

/** `LEFT OUTER JOIN "reviews" AS "reviews"`, `join ingredient i`: the joined table and its alias. */
const JOINED = /\bjoin\s+[`"[]?(?:[\w$]+[`"\]]?\.[`"[]?)?([\w$]+)[`"\]]?(?:\s+(?:as\s+)?[`"[]?([\w$]+)[`"\]]?)?/gi;
const NOT_ALIAS = new Set(['on', 'using', 'where', 'left', 'right', 'inner', 'outer', 'join', 'cross', 'full']);

/** Names a joined table may go by in the code: its name and alias, and their singular (a model `Review`). */
function joinedNames(sql: string): string[][] {
  const joins: string[][] = [];
  for (const [, table, alias] of sql.matchAll(JOINED)) {
    const names = [table, alias && !NOT_ALIAS.has(alias.toLowerCase()) ? alias : undefined]
      .filter((name): name is string => name !== undefined)
      .flatMap((name) => [name, name.replace(/(?:ies|s)$/i, (end) => (end.toLowerCase() === 'ies' ? 'y' : ''))]);
    joins.push([...new Set(names.filter((name) => name.length >= 3).map((name) => name.toLowerCase()))]);
  }
  return joins;
}

/** A table's name as code writes it: itself or its plural (`lesson` in `relations: ['lessons']`). */
function nameOf(name: string): RegExp {
  const plural = name.endsWith('y') ? `(?:y|ies)` : '(?:e?s)?';
  const stem = name.endsWith('y') ? name.slice(0, -1) : name;
  return new RegExp(`(?<![\\w$])${stem}${plural}(?![\\w$])`, 'i');
}

/**
 * The line of the call at `at` where its joins are written: the list that holds them (`include: [`), else
 * the first line naming one, when the call names at least two of them (so the lines are the joins' own, not
 * a mention of one table). Undefined when the source does not say.
 */
export function joinLine(
  sql: string,
  at: SourceLocation,
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  const joins = joinedNames(sql);
  if (joins.length < 2) return undefined;
  const lines = readSource?.(at.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  if (!lines) return undefined;
  const call = statementAt(lines, at.line).trimEnd().split('\n');
  // join index → the first line of the call naming it (its include; an `order` naming it again comes later)
  const found = new Map<number, number>();
  call.forEach((text, offset) => {
    joins.forEach((names, join) => {
      if (found.has(join)) return;
      if (names.some((name) => nameOf(name).test(text))) found.set(join, offset);
    });
  });
  if (found.size < 2) return undefined;
  // the list the joins are written in (`include: [`), opened on the line above the first of them
  const first = Math.min(...found.values());
  const offset = first > 0 && /\[\s*$/.test(call[first - 1] ?? '') ? first - 1 : first;
  return offset > 0 ? { ...at, line: at.line + offset, column: 1 } : undefined;
}

/** How many lines an ORM call's options may run over from its first line. */
const CALL_LINES = 40;

/**
 * The line of the call at `at` that names `table` (its include, relation or join: `{ model: Play, as: 'plays' }`),
 * past the call's first line. Undefined when the call does not name it.
 */
export function tableLine(
  table: string,
  at: SourceLocation,
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  const lines = readSource?.(at.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  if (!lines) return undefined;
  // an ORM call's options may run over many lines (a nested include three levels down)
  const call = statementAt(lines, at.line, Number.POSITIVE_INFINITY, CALL_LINES).trimEnd().split('\n');
  const singular = table.replace(/(?:ies|s)$/i, (end) => (end.toLowerCase() === 'ies' ? 'y' : ''));
  const offset = call.findIndex((text, i) => i > 0 && nameOf(singular).test(text));
  return offset > 0 ? { ...at, line: at.line + offset, column: 1 } : undefined;
}

/**
 * Where a query's joins come from when its call names none of them: a collection relation the queried table's
 * entity declares eager (every find joins it). Undefined when the schema shows none.
 */
export function eagerJoinLine(
  sql: string,
  table: string | undefined,
  schema: readonly TableDeclaration[],
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  const joined = [...sql.matchAll(JOINED)].flatMap(([, name, alias]) => [name, alias].filter((n) => n !== undefined));
  // every declaration of the table: the source's decorators, not a compiled copy's __decorate calls
  for (const entity of table ? schema.filter((d) => d.kind === 'table' && declares(d, table)) : []) {
    const lines = readSource?.(entity.file)?.split(/\r?\n/);
    const line = lines && eagerRelationLine(lines, entity.line, joined);
    if (line !== undefined) return { file: entity.file, line, column: 1 };
  }
  return undefined;
}
