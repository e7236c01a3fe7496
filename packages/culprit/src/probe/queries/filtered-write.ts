/**
 * An UPDATE or DELETE that finds its rows by a WHERE: EXPLAIN plans it without running it on MySQL, MariaDB,
 * PostgreSQL and SQLite, and how it finds them is the cost of a write that scans. Shared by the probe (which
 * statements it keeps a way to explain) and the CLI (which it asks for). Pure.
 */
export function isFilteredWrite(sql: string): boolean {
  return /^\s*(?:update|delete)\b/i.test(sql) && /\bwhere\b/i.test(sql);
}
