/**
 * A repeated statement that keeps the first rows of one parent (`WHERE device_id = ? ORDER BY taken_at DESC
 * LIMIT 100`, a feed's latest items, a monitor's last beats): run once per parent, it cannot become one IN
 * list, which would cut the whole set at one LIMIT instead of each parent's. The batched form is a top-N per
 * group: a LATERAL join, or a window function bounded by a range of the ordered column. Pure.
 */

export interface TopPerParent {
  /** The column that names the parent (`device_id`). */
  parent: string;
  /** The column the rows are ordered by (`taken_at`). */
  order: string;
}

const NAME = String.raw`(?:[\w$"\x60]+\.)?["\x60]?([\w$]+)["\x60]?`;
const SHAPE = new RegExp(
  String.raw`\bwhere\s+${NAME}\s*=\s*(?:\?|\$\d+)\s+order\s+by\s+${NAME}(?:\s+(?:asc|desc))?\s+limit\s+(?:\?|\$\d+|\d+)\s*$`,
  'i',
);

/** The parent and order columns of a one-parent top-N statement; undefined for any other shape. */
export function topPerParent(sql: string): TopPerParent | undefined {
  const match = SHAPE.exec(sql.replace(/\s+/g, ' ').trim());
  const [, parent, order] = match ?? [];
  return parent && order ? { parent, order } : undefined;
}

/** The N+1 advice for it. */
export function topPerParentAdvice(top: TopPerParent): string {
  return `Each run keeps the first rows of one ${top.parent} (ORDER BY ${top.order} … LIMIT), so an IN list of all of them would cut the whole set at one LIMIT: read every ${top.parent}'s rows in one statement as a top-N per group (PostgreSQL: a LATERAL join to the list of ${top.parent}s; MySQL 8/MariaDB: ROW_NUMBER() OVER (PARTITION BY ${top.parent} ORDER BY ${top.order} DESC), bounded by a range of ${top.order} so it does not read every row), or keep the latest rows in memory where they are written.`;
}
