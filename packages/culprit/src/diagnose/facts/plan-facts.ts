/**
 * What a query plan says, for PostgreSQL's, MySQL/MariaDB's and SQLite's
 * EXPLAIN output: which tables are read in full, whether rows are sorted
 * after reading, and the index that would serve the statement's filter and
 * order. Pure: reads the plan lines and the statement's text.
 */

export interface PlanReading {
  /** Tables read row by row, without an index. */
  scanned: string[];
  /** The rows are sorted after reading (no index gives the order). */
  sorted: boolean;
}

export function readPlan(driver: string, plan: readonly string[]): PlanReading {
  const scanned = new Set<string>();
  let sorted = false;
  for (const line of plan) {
    if (driver === 'pg') {
      const scan = /Seq Scan on (?:"?[\w$]+"?\.)?"?([\w$]+)"?/.exec(line);
      if (scan?.[1]) scanned.add(scan[1]);
      if (/\bSort\b/.test(line) && !/Sort Key/.test(line)) sorted = true;
    } else if (driver === 'mysql2') {
      const table = /\btable=(\S+)/.exec(line)?.[1];
      if (table && /\btype=ALL\b/.test(line)) scanned.add(table);
      if (/filesort/i.test(line)) sorted = true;
    } else {
      const scan = /^\s*(?:[|`-]+\s*)?SCAN (?:TABLE )?([\w$]+)(?!.*\bINDEX\b)/.exec(line);
      if (scan?.[1]) scanned.add(scan[1]);
      if (/TEMP B-TREE FOR ORDER BY/i.test(line)) sorted = true;
    }
  }
  return { scanned: [...scanned], sorted };
}

const COMPARED =
  /(?:[`"]?[\w$]+[`"]?\.)?[`"]?([\w$]+)[`"]?\s*(?:=|<>|!=|>=|<=|>|<|\bin\b|\blike\b|\bilike\b|\bbetween\b|\bis\b)/gi;
const KEYWORDS = new Set(['and', 'or', 'not', 'null', 'true', 'false', 'select', 'where', 'exists']);

/** Columns compared in the WHERE clause, then ORDER BY columns: the index key that serves both. */
export function indexColumns(sql: string): string[] {
  const text = sql.replace(/\s+/g, ' ');
  const where = /\bwhere\b(.*?)(?:\border\s+by\b|\bgroup\s+by\b|\blimit\b|\boffset\b|$)/i.exec(text)?.[1] ?? '';
  const order = /\border\s+by\b(.*?)(?:\blimit\b|\boffset\b|\bfetch\b|$)/i.exec(text)?.[1] ?? '';
  const columns: string[] = [];
  const add = (name: string | undefined): void => {
    if (name && !KEYWORDS.has(name.toLowerCase()) && !/^\d/.test(name) && !columns.includes(name)) columns.push(name);
  };
  for (const match of where.matchAll(COMPARED)) add(match[1]);
  for (const part of order.split(',')) add(/(?:[`"]?[\w$]+[`"]?\.)?[`"]?([\w$]+)[`"]?/.exec(part.trim())?.[1]);
  return columns;
}

/** `CREATE INDEX ON products (brand, price)`, or undefined when the statement names no column to index. */
export function suggestedIndex(table: string, sql: string): string | undefined {
  const columns = indexColumns(sql);
  if (columns.length === 0) return undefined;
  return `CREATE INDEX ON ${table} (${columns.join(', ')})`;
}
