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

const at = (declared: TableDeclaration) => ({ file: declared.file, line: declared.line, column: 1 });

export function declaredIndexHint(declared: TableDeclaration): string {
  return `; the app already declares an index on (${declared.columns?.join(', ')}) at ${formatPlace(at(declared))}, which this plan does not use`;
}

export function declaredIndexAdvice(declared: TableDeclaration, table: string): string {
  return `Another index is not the fix: ${table} (${declared.columns?.join(', ')}) is declared at ${formatPlace(at(declared))}. Check that the database has it (PostgreSQL \\d ${table}, MySQL SHOW INDEX FROM ${table}) and create it where it is missing; where it exists, the planner expects the statement to keep too many rows for the index to pay: make the statement read less (a narrower filter, a page, no join the answer does not need). Then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}
