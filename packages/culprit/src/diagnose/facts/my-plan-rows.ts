/**
 * What one MySQL/MariaDB EXPLAIN row says of how it reads its table (`id=1 select_type=… table=… type=…
 * rows=… Extra=…`, as the probe writes it): which table, whether it is read whole, and whether that whole read
 * is a few pages read once. Pure.
 */

/**
 * A MySQL/MariaDB plan row that reads the whole table: `type=ALL`, or `type=index` (the whole index
 * tree, in its order) with a WHERE applied to each entry: no key narrows it, so it reads on until its
 * LIMIT is met, all of the table when the match is last or absent.
 */
export function fullMyRead(line: string, sql: string | undefined): boolean {
  if (/\btype=ALL\b/.test(line)) return true;
  if (!/\btype=index\b/.test(line)) return false;
  if (/Using where/i.test(line)) return true;
  // unfiltered and with no LIMIT to stop it (a count over a join): every entry is read, however many
  const rows = Number(/\brows=(\d+)/.exec(line)?.[1] ?? 0);
  return sql !== undefined && !/\blimit\b/i.test(sql) && rows >= MY_WHOLE_INDEX_ROWS;
}

/** Entries below which a whole index read without a filter is a small table joined in passing. */
const MY_WHOLE_INDEX_ROWS = 1000;

/**
 * Rows below which a MySQL/MariaDB table read whole (`type=ALL`) as the first table of its SELECT (read once,
 * not once per row of another) is a few pages: not why the statement is slow, and no index on it would be used.
 */
const MY_TINY_FIRST_READ_ROWS = 200;

/** A whole-table read of a few pages, once: `first` says the row is the first of its SELECT. */
export function tinyFirstRead(line: string, first: boolean): boolean {
  // a whole-table read's estimate is the table's size (an index walk's may be its LIMIT's)
  return (
    first &&
    /\btype=ALL\b/.test(line) &&
    Number(/\brows=(\d+)/.exec(line)?.[1] ?? Number.POSITIVE_INFINITY) < MY_TINY_FIRST_READ_ROWS
  );
}

/** The select id of a MySQL/MariaDB plan row (`id=2`), or '' when the plan lines carry none. */
export function mySelectId(line: string): string {
  return /\bid=(\d+)/.exec(line)?.[1] ?? '';
}

/**
 * The table a MySQL/MariaDB plan row reads, if it is one: `<derived2>`, `<subquery3>` and `<union1,2>`
 * are a subquery's own result, already narrowed by the rows that read its tables (listed in the plan too).
 */
export function myPlanTable(line: string): string | undefined {
  const table = /\btable=(\S+)/.exec(line)?.[1];
  return table && !table.startsWith('<') ? table : undefined;
}
