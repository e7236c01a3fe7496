/**
 * An index the application already declares for the columns diagnose would
 * index: then adding it is not the fix. Either the database lacks it (a
 * migration not run) or the planner passes over it (the filter keeps too many
 * rows for lookups to pay, or a deep page), and the advice says so instead.
 * Pure.
 */
import { formatPlace } from '../evidence.js';
import { declares, type TableDeclaration } from './declaration.js';

/** A declared index of `table` that leads with `columns`, in their order. */
export function declaredIndex(
  table: string,
  columns: readonly string[],
  schema: readonly TableDeclaration[],
): TableDeclaration | undefined {
  if (columns.length === 0) return undefined;
  const wanted = columns.map((column) => column.toLowerCase());
  return schema.find(
    (d) =>
      d.kind === 'index' &&
      d.columns !== undefined &&
      declares(d, table) &&
      wanted.every((column, i) => d.columns?.[i] === column),
  );
}

/** A column as ORMs and SQL both name it: `tenantId` and `tenant_id` alike. */
const bare = (column: string) => column.toLowerCase().replace(/_/g, '');

/**
 * A declared index of `table` the statement cannot use because it does not compare the index's first
 * column, though it compares the ones after it (`(tenant_id, project_id, name)` for a WHERE on project_id
 * and name): the filter left out is the fix, more often than another index (a tenant's rows, not everyone's).
 */
export function unledIndex(
  table: string,
  columns: readonly string[],
  schema: readonly TableDeclaration[],
): TableDeclaration | undefined {
  const wanted = columns.map(bare);
  if (wanted.length === 0) return undefined;
  return schema.find((d) => {
    const declared = d.columns?.map(bare) ?? [];
    const first = declared[0];
    return (
      d.kind === 'index' &&
      declares(d, table) &&
      first !== undefined &&
      !wanted.includes(first) &&
      declared[1] === wanted[0]
    );
  });
}

/** The declared index for `columns`, or the one the statement leaves unused by not comparing its first column. */
export function knownIndex(
  table: string,
  columns: readonly string[],
  schema: readonly TableDeclaration[],
): TableDeclaration | undefined {
  return declaredIndex(table, columns, schema) ?? unledIndex(table, columns, schema);
}

/** The declared index leads with a column the statement does not compare (unledIndex). */
function unled(declared: TableDeclaration, columns: readonly string[]): string | undefined {
  const first = declared.columns?.[0];
  return first !== undefined && !columns.map(bare).includes(bare(first)) ? first : undefined;
}

const at = (declared: TableDeclaration) => ({ file: declared.file, line: declared.line, column: 1 });

export function declaredIndexHint(declared: TableDeclaration, columns: readonly string[] = []): string {
  const missing = unled(declared, columns);
  if (missing)
    return `; the app declares an index on (${declared.columns?.join(', ')}) at ${formatPlace(at(declared))}, which the statement cannot use: it does not compare ${missing}, the index's first column`;
  return `; the app already declares an index on (${declared.columns?.join(', ')}) at ${formatPlace(at(declared))}, which this plan does not use`;
}

export function declaredIndexAdvice(
  declared: TableDeclaration,
  table: string,
  columns: readonly string[] = [],
): string {
  const missing = unled(declared, columns);
  if (missing)
    return `Compare ${missing} in the statement's WHERE as well (the index declared at ${formatPlace(at(declared))} leads with it, and serves the statement once it does): a statement that leaves it out reads every ${missing}'s rows. Only where the statement means all of them, add an index without it. Then check the plan again (EXPLAIN) and the request time (culprit compare).`;
  return `Another index is not the fix: ${table} (${declared.columns?.join(', ')}) is declared at ${formatPlace(at(declared))}. Check that the database has it (PostgreSQL \\d ${table}, MySQL SHOW INDEX FROM ${table}) and create it where it is missing; where it exists, the planner expects the statement to keep too many rows for the index to pay: make the statement read less (a narrower filter, a page, no join the answer does not need). Then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
