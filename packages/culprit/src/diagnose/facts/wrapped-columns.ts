/**
 * Filters that wrap a column in a function (`DATE(issued_at) = ?`,
 * `lower(email) = ?`, `COALESCE(deleted, 0) = 0`): a B-tree index holds the
 * column's values, not the function's, so no index on the column serves
 * them and the table is read row by row. Read from the statement's WHERE.
 * Pure.
 */

export interface WrappedColumn {
  /** The function as written, upper-cased (`DATE`, `LOWER`, `CAST`). */
  fn: string;
  /** The wrapped column, unquoted, without its table qualifier. */
  column: string;
  /** The table qualifier as written (`i` of `i.issued_at`), when there is one. */
  qualifier?: string;
}

/** Words that open a parenthesis without being a function of a column. */
const NOT_FUNCTIONS = new Set([
  'in',
  'exists',
  'any',
  'all',
  'some',
  'not',
  'and',
  'or',
  'values',
  'select',
  'on',
  'using',
  'where',
  'like',
  'between',
  'is',
]);
/** Words inside a function's parentheses that are no column (`CAST(x AS date)`, `EXTRACT(year FROM x)`). */
const ARGUMENT_WORDS = new Set([
  'as',
  'from',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'week',
  'quarter',
  'date',
  'time',
  'timestamp',
  'datetime',
  'int',
  'integer',
  'signed',
  'unsigned',
  'char',
  'varchar',
  'text',
  'decimal',
  'numeric',
  'null',
  'true',
  'false',
  'interval',
  'epoch',
  'dow',
  'doy',
  'both',
  'leading',
  'trailing',
  'utc',
  'at',
  'zone',
]);
const COMPARISON = /^\s*(?:=|<>|!=|<=|>=|<|>|\bin\b|\bbetween\b|\blike\b|\bis\b)/i;
const COMPARED_BEFORE = /(?:=|<>|!=|<=|>=|<|>)\s*$/;
const CALL = /\b([A-Za-z_][\w]*)\s*\(([^()]*)\)/g;
/** PostgreSQL's cast of a column (`o.placed_at::date`): a function of the column as much as CAST(… AS date). */
const PG_CAST = /(?:[`"]?([A-Za-z_][\w$]*)[`"]?\s*\.\s*)?[`"]?([A-Za-z_][\w$]*)[`"]?\s*::\s*([A-Za-z_]\w*)/g;
/** A parenthesized expression cast (`(e.occurred_at AT TIME ZONE $2)::date`): its columns are wrapped by the cast. */
const EXPRESSION_CAST = /\(([^()]*)\)\s*::\s*([A-Za-z_]\w*)/g;
/**
 * A field read out of a JSON column and compared (`e.properties ->> 'plan' = ?`, MySQL's `data->>'$.plan'`,
 * `payload #>> '{a,b}'`): a B-tree index holds the document, not the field, so it serves no such filter.
 */
const JSON_FIELD =
  /(?:[`"]?([A-Za-z_][\w$]*)[`"]?\s*\.\s*)?[`"]?([A-Za-z_][\w$]*)[`"]?\s*(->>?|#>>?)\s*(?:''|\?|\$\d+|\w+)(?:\s*::\s*\w+)?\)?/g;
const IDENTIFIER = /(?:[`"]?([A-Za-z_][\w$]*)[`"]?\s*\.\s*)?[`"]?([A-Za-z_][\w$]*)[`"]?/g;

/** The WHERE clause of the statement, up to its GROUP BY, ORDER BY, LIMIT or end. */
function whereClause(sql: string): string {
  const text = sql.replace(/\s+/g, ' ');
  return (
    /\bwhere\b(.*?)(?:\bgroup\s+by\b|\border\s+by\b|\blimit\b|\boffset\b|\bfor\s+update\b|$)/i.exec(text)?.[1] ?? ''
  );
}

/** Columns among a function's arguments: identifiers outside string literals that are no keyword or placeholder. */
function argumentColumns(args: string): Array<{ column: string; qualifier?: string }> {
  const bare = args.replace(/'(?:[^']|'')*'/g, "''");
  const found: Array<{ column: string; qualifier?: string }> = [];
  for (const match of bare.matchAll(IDENTIFIER)) {
    const [, qualifier, name] = match;
    if (!name || ARGUMENT_WORDS.has(name.toLowerCase())) continue;
    found.push(qualifier ? { column: name, qualifier } : { column: name });
  }
  return found;
}

interface CallSpan {
  start: number;
  end: number;
  name: string;
}

/** The function call whose arguments hold `inner` (its name, from it to its closing parenthesis), if any. */
function enclosingCall(text: string, inner: CallSpan): CallSpan | undefined {
  let depth = 0;
  let open = -1;
  for (let i = inner.start - 1; i >= 0 && open < 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && depth-- === 0) open = i;
  }
  const name = open < 0 ? undefined : /([A-Za-z_]\w*)\s*$/.exec(text.slice(0, open));
  if (!name?.[1] || NOT_FUNCTIONS.has(name[1].toLowerCase())) return undefined;
  depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && depth-- === 0) return { start: open - name[0].length, end: i + 1, name: name[1] };
  }
  return undefined;
}

/** The functions the WHERE applies to a column that it then compares (each column once). */
export function wrappedColumns(sql: string): WrappedColumn[] {
  const bare = whereClause(sql).replace(/'(?:[^']|'')*'/g, "''");
  const wrapped: WrappedColumn[] = [];
  for (const match of bare.matchAll(CALL)) {
    const [call, name, args] = match;
    if (!name || args === undefined || NOT_FUNCTIONS.has(name.toLowerCase())) continue;
    // a call inside another (`upper(replace(postcode, ' ', ''))`) is compared where the outermost one is
    let outer = { start: match.index ?? 0, end: (match.index ?? 0) + call.length, name };
    for (let around = enclosingCall(bare, outer); around; around = enclosingCall(bare, around)) outer = around;
    const compared = COMPARISON.test(bare.slice(outer.end)) || COMPARED_BEFORE.test(bare.slice(0, outer.start));
    if (!compared) continue;
    const fn = outer.name.toUpperCase();
    for (const { column, qualifier } of argumentColumns(args)) {
      if (wrapped.some((w) => w.column === column)) continue;
      wrapped.push(qualifier ? { fn, column, qualifier } : { fn, column });
    }
  }
  for (const match of bare.matchAll(EXPRESSION_CAST)) {
    const [cast, inner, type] = match;
    const at = match.index ?? 0;
    if (!inner || !type || (!COMPARISON.test(bare.slice(at + cast.length)) && !COMPARED_BEFORE.test(bare.slice(0, at))))
      continue;
    const fn = type.toLowerCase() === 'date' ? 'DATE' : 'CAST';
    for (const { column, qualifier } of argumentColumns(inner)) {
      if (wrapped.some((w) => w.column === column)) continue;
      wrapped.push(qualifier ? { fn, column, qualifier } : { fn, column });
    }
  }
  for (const match of bare.matchAll(JSON_FIELD)) {
    const [field, qualifier, column, operator] = match;
    if (!column || !operator || wrapped.some((w) => w.column === column)) continue;
    const at = match.index ?? 0;
    if (!COMPARISON.test(bare.slice(at + field.length)) && !COMPARED_BEFORE.test(bare.slice(0, at))) continue;
    wrapped.push(qualifier ? { fn: operator, column, qualifier } : { fn: operator, column });
  }
  for (const match of bare.matchAll(PG_CAST)) {
    const [cast, qualifier, column, type] = match;
    if (!column || !type || ARGUMENT_WORDS.has(column.toLowerCase()) || wrapped.some((w) => w.column === column))
      continue;
    const at = match.index ?? 0;
    if (!COMPARISON.test(bare.slice(at + cast.length)) && !COMPARED_BEFORE.test(bare.slice(0, at))) continue;
    // a timestamp cast to its day is DATE(…): compared with a day, it is rewritten as that day's range
    const fn = type.toLowerCase() === 'date' ? 'DATE' : 'CAST';
    wrapped.push(qualifier ? { fn, column, qualifier } : { fn, column });
  }
  return wrapped;
}

/** A distance between points computed per row (a radius search): a bounding box or a spatial index serves it. */
const DISTANCE = /^(?:ST_DISTANCE(?:_SPHERE|_SPHEROID)?|ST_DWITHIN|EARTH_DISTANCE|HAVERSINE\w*|DISTANCE\w*)$/;

/** How to compare the column itself instead, by function. */
export function unwrapAdvice(wrapped: WrappedColumn): string {
  const { fn, column } = wrapped;
  if (isJsonField(wrapped))
    return `compare the JSON document by containment (PostgreSQL: ${column} @> '{"field": value}', which a GIN index on ${column} serves: CREATE INDEX … USING gin (${column} jsonb_path_ops) where it has none), or index the field itself (an expression index on (${column} ${fn} 'field'); MySQL/MariaDB: an indexed generated column holding it)`;
  if (fn === 'DATE' || fn === 'DATE_TRUNC' || fn === 'DATE_FORMAT' || fn === 'STRFTIME' || fn === 'TO_CHAR')
    return `compare ${column} itself with a range (${column} >= the day's start AND ${column} < the next day's start)`;
  if (fn === 'YEAR' || fn === 'MONTH' || fn === 'EXTRACT' || fn === 'DATE_PART')
    return `compare ${column} itself with the range of that period (${column} >= its start AND ${column} < the next one's start)`;
  if (fn === 'LOWER' || fn === 'UPPER')
    return `store ${column} normalized (or index the expression: CREATE INDEX ON … (${fn.toLowerCase()}(${column})) on PostgreSQL, a functional index or an indexed generated column on MySQL/MariaDB)`;
  if (fn === 'COALESCE' || fn === 'IFNULL' || fn === 'NVL')
    return `test ${column} and its NULL case apart (${column} = ? OR ${column} IS NULL)`;
  if (DISTANCE.test(fn))
    return `add a bounding box the index on the coordinates can serve (${column} BETWEEN ? AND ? and the same for the other coordinate, from the radius) before the distance test, or keep the points in a spatial column with a spatial index (MySQL/MariaDB SPATIAL INDEX and MBRContains; PostGIS ST_DWithin on a GiST index)`;
  if (fn === 'CAST' || fn === 'CONVERT')
    return `compare ${column} with a value of its own type, so the column is not converted row by row`;
  return `compare ${column} itself (move the function to the other side of the comparison), or index the expression`;
}

/** Why no index serves the filter: "the filter wraps issued_at in DATE(), which no index on issued_at serves". */
export function wrappedReason(wrapped: WrappedColumn): string {
  if (isJsonField(wrapped))
    return `the filter reads a field out of the JSON column ${wrapped.column} (${wrapped.fn}), which no index on ${wrapped.column} serves as written`;
  return `the filter wraps ${wrapped.column} in ${wrapped.fn}(), which no index on ${wrapped.column} serves`;
}

/** The whole advice for a wrapped filter written at `place`. */
export function unwrapSuggestion(wrapped: WrappedColumn, place: string): string {
  const advice = unwrapAdvice(wrapped);
  const then = 'then check the plan again (EXPLAIN) and the request time (culprit compare).';
  const sentence = `${advice[0]?.toUpperCase()}${advice.slice(1)}`;
  if (isJsonField(wrapped)) return `At ${place}, ${advice}; ${then}`;
  return `${sentence} at ${place}, so an index on ${wrapped.column} can serve the filter (add one if ${wrapped.column} has none); ${then}`;
}

/** A JSON field operator (`->>`), not a function: the filter compares a field of the column's document. */
export function isJsonField(wrapped: WrappedColumn): boolean {
  return /^(?:->>?|#>>?)$/.test(wrapped.fn);
}
