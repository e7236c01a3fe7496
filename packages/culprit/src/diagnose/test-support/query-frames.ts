/** Stack frames and pg query records for the rule tests that build captures by hand. */
import type { QueryRecord, SourceLocation } from '../../capture/types.js';

/** A frame of `functionName` at `file:line`, column 1. */
export const at = (
  functionName: string,
  file: string,
  line: number,
  extra: Partial<SourceLocation> = {},
): SourceLocation => ({
  functionName,
  file,
  line,
  column: 1,
  ...extra,
});

/** pg's client frame, below every query's app frames. */
export const driver = at('query', '/app/node_modules/pg/lib/client.js', 500, { package: 'pg' });

/** A pg statement of `rows` rows issued from `frames` (innermost first), 1 ms unless `extra` says otherwise. */
export function q(sql: string, rows: number, frames: SourceLocation[], extra: Partial<QueryRecord> = {}): QueryRecord {
  return { driver: 'pg', sql, durationMs: 1, rows, stack: [driver, ...frames], ...extra };
}
