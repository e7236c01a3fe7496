/**
 * The sequential scans of a PostgreSQL plan (EXPLAIN text, without ANALYZE),
 * each with what its own Filter compares and what the planner expects it to
 * cost in all. The statement's text cannot say which WHERE belongs to which
 * table once an ORM nests lateral joins and scalar subqueries, each with its
 * own WHERE and LIMIT; the Filter under a scan is the condition PostgreSQL
 * applies to that table's rows, so the index key is read from it. Pure.
 */

import { keyedConjuncts } from './keyed-conjuncts.js';

export interface PgSeqScan {
  table: string;
  /** Columns (or `lower(column)`-style expressions) the scan's Filter compares; empty when it has none. */
  filterColumns: string[];
  /** Those of them an array or JSON containment compares (`@>`, `<@`, `&&`, `?`): a GIN index's, not a B-tree's. */
  containment: string[];
  /**
   * The scan's estimated total cost times the rows of the outer side of each Nested Loop it is the inner
   * side of: a small scan run once per outer row costs as much as a large one run once.
   */
  cost: number;
  /** The estimated total cost of the whole plan (its first node). */
  planCost: number;
  /** A Sort above the scan sorts its rows. */
  sorted: boolean;
  /**
   * Not a Seq Scan: an Index Scan whose condition is on a column the index does not lead with, so it walks
   * all of this index (named here) to find a few rows; filterColumns are its condition's columns.
   */
  walkedIndex?: string;
  /**
   * The scan, unfiltered, is the probe side of a Hash Join whose hashed side is a few rows: it reads the
   * whole table to keep the rows that match them, which an index on its join column finds directly.
   */
  probes?: { columns: string[]; hashedRows: number };
  /**
   * The scan, unfiltered, is the hashed side of a join whose rows a Sort then a LIMIT cut to a page: every
   * row of the table is hashed to join rows the page mostly drops. With an index on its join column the
   * plan can walk the sorted table's index in order and look up only the page's rows here; without it, an
   * index on the sort column alone leaves the plan as it is.
   */
  hashedForPage?: { columns: string[]; pageRows: number };
}

interface PlanNode {
  name: string;
  indent: number;
  totalCost: number;
  rows: number;
  parent: PlanNode | undefined;
  children: PlanNode[];
  detail: string[];
}

/** A plan node's `(cost=start..total rows=n`: the total cost and the rows. */
export const COST = /\(cost=[\d.]+\.\.([\d.]+) rows=(\d+)/;
/**
 * Where a PostgreSQL plan line's node arrow is, or -1 for a detail line: the arrow leads its line, and a
 * detail line may hold one of its own (a Filter on `properties ->> 'key'`, a JSON path `data -> 'a'`).
 */
export function pgNodeArrow(line: string): number {
  return /^\s*->/.test(line) ? line.indexOf('->') : -1;
}
/** An index read by a condition: `Index Scan using posts_pkey on posts p`, `Index Only Scan Backward using …`. */
const INDEX_SCAN =
  /^(?:Parallel )?Index (?:Only )?Scan(?: Backward)? using "?([\w$]+)"? on (?:"?[\w$]+"?\.)?"?([\w$]+)"?(?: "?([\w$]+)"?)?/;
/**
 * An index lookup the planner expects to cost this much per row it finds, from WALK_MIN_COST on, walks the
 * whole index: its condition is not on the index's leading column (a lookup by a leading column costs a few
 * units a row, about one random page each), so every entry is compared, on each run.
 */
const WALK_COST_PER_ROW = 50;
const WALK_MIN_COST = 100;
const SEQ_SCAN = /^(?:Parallel )?Seq Scan on (?:"?[\w$]+"?\.)?"?([\w$]+)"?(?: "?([\w$]+)"?)?/;
/** A hashed side with at most this share of the probed table's rows makes an index lookup the better join. */
const FEW_HASHED = 0.1;
/** ... when the probed table is more than a few pages (a small table is read whole as fast as by an index). */
const PROBED_MIN_COST = 100;

/** The plan's nodes as a tree: a node line is the first one or one with `->`; deeper indentation is a child. */
function planNodes(plan: readonly string[]): PlanNode[] {
  const nodes: PlanNode[] = [];
  for (const [i, line] of plan.entries()) {
    const arrow = pgNodeArrow(line);
    if (i > 0 && arrow < 0) {
      nodes.at(-1)?.detail.push(line.trim());
      continue;
    }
    const indent = arrow < 0 ? -1 : arrow;
    const text = (arrow < 0 ? line : line.slice(arrow + 2)).trim();
    const cost = COST.exec(text);
    let parent = nodes.at(-1);
    while (parent && parent.indent >= indent) parent = parent.parent;
    const node: PlanNode = {
      name: text.replace(/\s+\(cost=.*$/, ''),
      indent,
      totalCost: Number(cost?.[1] ?? 0),
      rows: Number(cost?.[2] ?? 1),
      parent,
      children: [],
      detail: [],
    };
    parent?.children.push(node);
    nodes.push(node);
  }
  return nodes;
}

/**
 * How many times the planner expects `node` to run: once per outer row of each Nested Loop it is inside of,
 * up to a Materialize or a Hash: that node keeps the rows read once, and a loop above re-reads them from it.
 */
function runs(node: PlanNode): number {
  let times = 1;
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (/^(?:Materialize|Hash)$/.test(parent.name)) return times;
    const outer = parent.children[0];
    if (parent.name.includes('Nested Loop') && outer && outer !== child) times *= Math.max(outer.rows, 1);
    // a LIMIT stops the loops below it once it has its rows: they run for that share of the rows they would
    // give, and a scan they do not repeat still runs once (a Sort under it reads every row first)
    if (parent.name === 'Limit') times = Math.max(1, (times * parent.rows) / Math.max(child.rows, 1));
  }
  return times;
}

/**
 * A Sort above the scan orders the scan's own rows: the way up passes no join on its inner side (a Sort of
 * the joined rows orders the outer table's rows; the inner table is only looked up for each of them).
 */
function underSort(node: PlanNode): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (/^(?:Incremental )?Sort\b/.test(parent.name)) return true;
    if (/\b(?:Join|Nested Loop)\b/.test(parent.name) && parent.children[0] !== child) return false;
  }
  return false;
}

const NOT_COLUMNS = new Set([
  'and',
  'or',
  'not',
  'null',
  'is',
  'any',
  'all',
  'true',
  'false',
  'hashed',
  'subplan',
  'initplan',
  'alternatives',
  'in',
  'like',
  'between',
  'distinct',
  'from',
  'array',
  'case',
  'when',
  'then',
  'else',
  'end',
]);

/**
 * What a Filter compares: `(author_id = $9)` gives author_id, `(lower((title)::text) = '…'::text)` gives
 * lower(title). Names qualified by an alias are another table's (`articles_author.id`), literals and casts
 * are no columns.
 */
export function filterColumns(filter: string): string[] {
  const text = filter
    .replace(/^\s*Filter:\s*/, '')
    .replace(/'(?:[^']|'')*'/g, "''")
    // a type may be several words (`character varying[]`, `timestamp without time zone`)
    .replace(/::"?[a-z]\w*(?: [a-z]\w*)*"?(?:\[\])?/gi, '');
  const columns: string[] = [];
  const add = (column: string): void => {
    if (!columns.includes(column)) columns.push(column);
  };
  const unwrapped = withoutNegations(text).replace(
    /\b(lower|upper)\(\(*([a-z_][\w$]*)\)*\)/gi,
    (_all, fn: string, column: string) => {
      add(`${fn.toLowerCase()}(${column})`);
      return ' ';
    },
  );
  for (const match of unwrapped.matchAll(/(?<![\w$.])([a-z_][\w$]*)(?![\w$.(])/gi)) {
    const name = match[1] as string;
    // `SubPlan 1`, `InitPlan 2`: a subquery's number follows its name
    if (NOT_COLUMNS.has(name.toLowerCase())) continue;
    add(name);
  }
  return columns;
}

/**
 * The filter without its negated comparisons (`(status <> 'cancelled')`, `deleted_at IS NOT NULL`, `<> ALL
 * (…)`): they keep most rows, so an index on their column narrows nothing and is no key to propose.
 */
function withoutNegations(filter: string): string {
  return filter
    .replace(/\(*\b[a-z_][\w$]*\)*\s*(?:<>|!=)\s*(?:ALL\s*\([^)]*\)|''|\$\d+|-?\d+(?:\.\d+)?|[a-z_][\w$]*)/gi, ' ')
    .replace(/\(*\b[a-z_][\w$]*\)*\s+IS\s+NOT\s+NULL\b/gi, ' ');
}

/** The table's columns a Hash Join's condition compares, when `scan` is its probe side and the other side is small. */
function probedColumns(scan: PlanNode, name: string): PgSeqScan['probes'] {
  // the probe side is the join's first child, reached through nothing but a Gather of parallel workers
  let child = scan;
  let join = scan.parent;
  while (join && /^Gather\b/.test(join.name)) {
    child = join;
    join = join.parent;
  }
  if (
    !join ||
    !/^(?:Parallel )?Hash (?:Left |Right |Full |Semi |Anti )?Join\b/.test(join.name) ||
    join.children[0] !== child
  )
    return;
  const hashed = join.children[1];
  if (!hashed || scan.totalCost < PROBED_MIN_COST) return;
  const condition = join.detail.find((line) => line.startsWith('Hash Cond:')) ?? '';
  const terms = [...condition.matchAll(/"?([\w$]+)"?\."?([\w$]+)"?/g)];
  const columns = terms.filter((match) => match[1] === name).map((match) => match[2] as string);
  if (columns.length === 0) return;
  const others = new Set(terms.filter((match) => match[1] !== name).map((match) => match[1] as string));
  const kept = hashed.rows <= FEW_HASHED * scan.rows ? hashed.rows : pagedRows(join, others);
  return kept !== undefined && kept <= FEW_HASHED * scan.rows
    ? { columns: [...new Set(columns)], hashedRows: kept }
    : undefined;
}

/** The join columns of an unfiltered scan hashed for a join that a Sort and a LIMIT then cut to a page. */
function hashedForPage(scan: PlanNode, name: string): PgSeqScan['hashedForPage'] {
  const hash = scan.parent;
  const join = hash?.parent;
  if (hash?.name !== 'Hash' || !join || join.children[1] !== hash || scan.totalCost < PROBED_MIN_COST) return;
  if (!/^(?:Parallel )?Hash (?:Left |Right |Full )?Join\b/.test(join.name)) return;
  const condition = join.detail.find((line) => line.startsWith('Hash Cond:')) ?? '';
  const columns = [...condition.matchAll(/"?([\w$]+)"?\."?([\w$]+)"?/g)]
    .filter((match) => match[1] === name)
    .map((match) => match[2] as string);
  if (columns.length === 0) return;
  // up through the joins and the gathering of parallel workers, a Sort, then the LIMIT that keeps a page
  let sorted = false;
  for (let node = join.parent; node; node = node.parent) {
    if (node.name === 'Limit') {
      return sorted && node.rows <= FEW_HASHED * scan.rows
        ? { columns: [...new Set(columns)], pageRows: node.rows }
        : undefined;
    }
    if (/^(?:Incremental )?Sort\b/.test(node.name)) sorted = true;
    else if (
      !/^(?:Gather Merge|Gather|(?:Parallel )?Hash (?:Left |Right )?Join|Nested Loop(?: Left Join)?)\b/.test(node.name)
    )
      return;
  }
  return undefined;
}

/**
 * The rows a LIMIT above `join` keeps, when what lies between only sorts, groups or de-duplicates the joined
 * rows by columns of the other side (`others`, its aliases): a page of that side's rows in its order (an
 * ORM's paged ids, `SELECT DISTINCT … ORDER BY post.id LIMIT 20`). Looked up by the join column, each of
 * those rows' matches is found directly and the walk stops at the LIMIT, instead of joining every row first.
 */
function pagedRows(join: PlanNode, others: ReadonlySet<string>): number | undefined {
  for (let node = join.parent; node; node = node.parent) {
    if (node.name === 'Limit') return node.rows;
    if (!/^(?:Incremental Sort|Sort|HashAggregate|GroupAggregate|Unique)\b/.test(node.name)) return undefined;
    const keys = node.detail.find((line) => /^(?:Sort|Group) Key:/.test(line))?.replace(/^\w+ Key:\s*/, '') ?? '';
    const qualifiers = [...keys.matchAll(/"?([\w$]+)"?\."?[\w$]+"?/g)].map((match) => match[1] as string);
    if (qualifiers.length === 0 || qualifiers.some((alias) => !others.has(alias))) return undefined;
  }
  return undefined;
}

/** Columns an array or JSON containment or overlap compares (`tag_list @> '{…}'`): a GIN index serves them, no B-tree. */
export function containmentColumns(filter: string): string[] {
  const text = filter.replace(/'(?:[^']|'')*'/g, "''");
  return [...text.matchAll(/(?<![\w$.])([a-z_][\w$]*)\)?(?:::[\w ]+?(?:\[\])?)?\)?\s*(?:@>|<@|&&|\?\|?|\?&)\s/gi)].map(
    (match) => match[1] as string,
  );
}

export function pgSeqScans(plan: readonly string[]): PgSeqScan[] {
  const nodes = planNodes(plan);
  const planCost = nodes[0]?.totalCost ?? 0;
  const scans: PgSeqScan[] = [];
  for (const node of nodes) {
    const walk = indexWalk(node);
    if (walk) {
      scans.push({ ...walk, containment: [], cost: node.totalCost * runs(node), planCost, sorted: underSort(node) });
      continue;
    }
    const scanned = SEQ_SCAN.exec(node.name);
    const table = scanned?.[1];
    if (!table) continue;
    const filter = node.detail.find((line) => line.startsWith('Filter:'));
    const scan: PgSeqScan = {
      table,
      filterColumns: filter ? filterColumns(keyedConjuncts(filter)) : [],
      containment: filter ? containmentColumns(keyedConjuncts(filter)) : [],
      cost: node.totalCost * runs(node),
      planCost,
      sorted: underSort(node),
    };
    const probes = filter ? undefined : probedColumns(node, scanned[2] ?? table);
    if (probes) scan.probes = probes;
    const hashed = filter ? undefined : hashedForPage(node, scanned[2] ?? table);
    if (hashed) scan.hashedForPage = hashed;
    scans.push(scan);
  }
  return scans;
}

/** An index scan that walks its whole index for its condition's rows (see WALK_COST_PER_ROW), if `node` is one. */
function indexWalk(node: PlanNode): Pick<PgSeqScan, 'table' | 'filterColumns' | 'walkedIndex'> | undefined {
  const scan = INDEX_SCAN.exec(node.name);
  const [index, table] = [scan?.[1], scan?.[2]];
  if (!index || !table) return undefined;
  // a Filter on top is a partial index read, which plan-facts reads as such
  if (node.detail.some((line) => line.startsWith('Filter:'))) return undefined;
  const condition = node.detail.find((line) => line.startsWith('Index Cond:'));
  if (!condition || node.totalCost < WALK_MIN_COST || node.totalCost < WALK_COST_PER_ROW * Math.max(node.rows, 1))
    return undefined;
  const columns = filterColumns(condition.replace(/^Index Cond:\s*/, ''));
  return columns.length > 0 ? { table, filterColumns: columns, walkedIndex: index } : undefined;
}
