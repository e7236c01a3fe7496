/**
 * A page far from the start read by OFFSET: the database walks every row
 * before the page in the sort's order and throws them away, so each deeper
 * page costs more (MySQL/MariaDB: `type=index` over ≈offset+limit entries;
 * PostgreSQL: a Limit whose start-up cost, the skipping, is most of its
 * cost). No index fixes it: the page is asked for by the last row's key
 * (keyset pagination). Where the OFFSET's value is known, it says so
 * whatever the plan: far enough, the planner gives up the index it has and
 * sorts the whole table instead (MariaDB past ≈10% of a table), a plan that
 * reads like a missing index. Pure.
 */
import { PLAN_DIALECT } from './plan-facts.js';

/** Rows walked per row returned from which the skipping is what the statement does. */
const WALKED_PER_RETURNED = 20;
/** From this many rows skipped on, the skipping costs more than any index on the sort saves. */
const FAR_OFFSET = 10_000;
/** A PostgreSQL Limit whose start-up cost is this share of its total spends it skipping. */
const SKIPPING_SHARE = 0.5;

export interface DeepOffset {
  /** Rows walked to reach the page, as the plan estimates them (undefined: the plan does not say). */
  walked?: number;
  /** The index walked in order (MySQL/MariaDB). */
  index?: string;
  /** Rows the OFFSET skips, when its value was known. */
  skipped?: number;
}

const HAS_OFFSET = /\boffset\b|\blimit\s+(?:\?|\$\d+|\d+)\s*,/i;

/** The OFFSET's own value says the page is far: many rows, and many per row returned. */
export function skipsFar(offsetRows: number | undefined, returnedRows: number): boolean {
  return (
    offsetRows !== undefined &&
    offsetRows >= FAR_OFFSET &&
    offsetRows >= WALKED_PER_RETURNED * Math.max(returnedRows, 1)
  );
}

export function deepOffset(
  driver: string,
  plan: readonly string[],
  sql: string,
  returnedRows: number,
  offsetRows?: number,
): DeepOffset | undefined {
  if (!HAS_OFFSET.test(sql)) return undefined;
  if (skipsFar(offsetRows, returnedRows)) {
    const walkedIndex = /\btype=index\b.*?\bkey=(\S+)/.exec(plan[0] ?? '')?.[1];
    const skipped = offsetRows ?? 0;
    const walked = skipped + returnedRows;
    return walkedIndex && walkedIndex !== 'NULL' ? { walked, index: walkedIndex, skipped } : { walked, skipped };
  }
  const dialect = PLAN_DIALECT[driver];
  if (dialect === 'mysql') {
    // the first table of the join, walked in the index's order with nothing to filter
    const first = plan[0] ?? '';
    if (!/\btype=index\b/.test(first) || /Using where/i.test(first)) return undefined;
    const walked = Number(/\brows=(\d+)/.exec(first)?.[1] ?? Number.NaN);
    if (!(walked >= WALKED_PER_RETURNED * Math.max(returnedRows, 1))) return undefined;
    const index = /\bkey=(\S+)/.exec(first)?.[1];
    return index && index !== 'NULL' ? { walked, index } : { walked };
  }
  if (dialect === 'postgresql') {
    const limit = /^\s*Limit\s+\(cost=([\d.]+)\.\.([\d.]+)/.exec(plan[0] ?? '');
    const [startup, total] = [Number(limit?.[1]), Number(limit?.[2])];
    // A Limit inherits its input's start-up cost: over a Sort (a top-N of a whole set), start-up is
    // nearly all of the cost at OFFSET 0 too. Only the start-up the Limit adds to its input is skipping.
    const inputStartup = Number(/\(cost=([\d.]+)\.\./.exec(plan[1] ?? '')?.[1] ?? 0);
    const skipping = startup - inputStartup;
    if (!limit || !(total - inputStartup > 0) || skipping / (total - inputStartup) < SKIPPING_SHARE) return undefined;
    const child = Number(/rows=(\d+)/.exec(plan[1] ?? '')?.[1] ?? Number.NaN);
    return Number.isFinite(child) && child >= WALKED_PER_RETURNED * Math.max(returnedRows, 1) ? { walked: child } : {};
  }
  return undefined;
}
