/**
 * A plain count over LEFT JOINs that PostgreSQL drops (`SELECT count(*) FROM links LEFT JOIN domains ON
 * links.domain_id = domains.id WHERE links.user_id = $1`, what a query builder writes when the page's
 * joins are reused for its total). The planner removes a LEFT JOIN on the joined table's unique key that
 * nothing else uses: it adds no row to the count. But the first table's join column stays in what the scan
 * must return, so the index that finds the rows cannot count them alone (an index-only scan): each of them
 * is read from the table, over as many pages as the rows are spread. The number is the same without the join;
 * the fix is to drop it from the count. Pure.
 */
import { type NeedlessJoin, unusedLeftJoins } from './needless-join.js';

const UNQUOTED = (sql: string) => sql.replace(/[`"[\]]/g, '');
/** `count(*)`, `count(1)`, `count(t.id)` (not DISTINCT) as the only thing selected, its table and alias. */
const PLAIN_COUNT =
  /^\s*select\s+count\s*\(\s*(?!distinct\b)(?:\*|\d+|(?:[\w$]+\.)?[\w$]+)\s*\)\s*(?:::\s*\w+\s*)?(?:as\s+[\w$]+\s*)?from\s+(?:[\w$]+\.)?([\w$]+)(?:\s+(?:as\s+)?(?!left\b|inner\b|join\b|where\b)([\w$]+))?/i;
/** A plan node reading a relation: `Seq Scan on t`, `Index Scan using i on t x`, `Bitmap Heap Scan on t`. */
const READS = /\bScan(?:\s+Backward)?\s+(?:using\s+[\w$]+\s+)?on\s+(?:[\w$]+\.)?([\w$]+)/;
/** The counted table read row by row through an index: a bitmap's heap pass, or an index scan that is not index-only. */
const HEAP_READ =
  /^\s*(?:->\s*)?(?:Parallel\s+)?(Bitmap Heap Scan|Index Scan(?:\s+Backward)?\s+using\s+([\w$]+))\s+on\s+(?:[\w$]+\.)?([\w$]+)/;
const BITMAP_INDEX = /Bitmap Index Scan on ([\w$]+)/;
const ROWS = /\brows=(\d+)/;

/** The counted table's columns an ON condition names (`links.domain_id = domains.id` → domain_id). */
function columnsOf(name: string, on: string): string[] {
  const pattern = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}\\.([\\w$]+)`, 'gi');
  return [...on.matchAll(pattern)].flatMap((match) => (match[1] ? [match[1]] : []));
}

/** The line index of the plan node that reads `table`, and what it reads it by. */
function heapRead(plan: readonly string[], table: string): { at: number; index?: string } | undefined {
  for (let at = 0; at < plan.length; at++) {
    const read = HEAP_READ.exec(plan[at] ?? '');
    if (read?.[3]?.toLowerCase() !== table) continue;
    return { at, index: read[2] };
  }
  return undefined;
}

/** The lines under a node, up to the next node at its depth or above. */
function detailLines(plan: readonly string[], at: number): string[] {
  const depth = (line: string) => line.search(/\S/);
  const own = depth(plan[at] ?? '');
  const lines: string[] = [];
  for (let i = at + 1; i < plan.length; i++) {
    const line = plan[i] ?? '';
    if (depth(line) <= own && /->/.test(line)) break;
    lines.push(line);
  }
  return lines;
}

export function droppedCountJoin(sql: string, plan: readonly string[]): NeedlessJoin | undefined {
  const text = UNQUOTED(sql);
  const count = PLAIN_COUNT.exec(text);
  const table = count?.[1]?.toLowerCase();
  if (!count || !table || /\bgroup\s+by\b/i.test(text)) return undefined;
  const unused = unusedLeftJoins(text);
  // every join of the statement is one the count does not use: any other keeps a second scan in the plan
  const joins = text.match(/\bjoin\b/gi)?.length ?? 0;
  if (unused.length === 0 || unused.length !== joins) return undefined;
  // PostgreSQL dropped them: its plan reads no joined table
  const read = new Set(plan.flatMap((line) => READS.exec(line)?.[1]?.toLowerCase() ?? []));
  if (unused.some((join) => read.has(join.table.toLowerCase()))) return undefined;
  const heap = heapRead(plan, table);
  if (!heap) return undefined;
  const details = detailLines(plan, heap.at);
  // a Filter on the table's own rows needs them read whatever the join: only the join's column is in the way
  if (details.some((line) => /^\s*Filter:/.test(line))) return undefined;
  const index = heap.index ?? details.map((line) => BITMAP_INDEX.exec(line)?.[1]).find(Boolean);
  const names = [table, count[2]?.toLowerCase()].filter((name): name is string => Boolean(name));
  const joinColumns = [...new Set(unused.flatMap((join) => names.flatMap((name) => columnsOf(name, join.on))))];
  if (!index || joinColumns.length === 0) return undefined;
  const rows = ROWS.exec(plan[heap.at] ?? '')?.[1];
  return {
    counted: count[1] ?? table,
    joined: unused.map((join) => join.table),
    dropped: { joinColumns, index, ...(rows ? { rows: Number(rows) } : {}) },
  };
}
