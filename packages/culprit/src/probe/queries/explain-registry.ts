/**
 * How to ask the database for the plan of a statement the app ran, through
 * the app's own connection and with the statement's own parameters: each
 * driver hook leaves a closure here for the SELECTs it sees inside a request,
 * and for the UPDATEs and DELETEs with a WHERE (EXPLAIN plans them without
 * running them: how they find their rows is the cost of a write that scans).
 * Only the last few hundred are kept (the newest per statement text is used),
 * so a long-running server holds a few hundred closures at most. Plans are
 * asked for after the request (never ANALYZE: nothing is executed).
 */
import { isFilteredWrite } from './filtered-write.js';
import { normalizeSql } from './normalize-sql.js';

/**
 * Asks for the plan of `sql` with `params`, the statement's own values as rememberPlan was given them. A hook may
 * pass one function per connection and the values beside it (no closure per statement), or a closure that holds both.
 */
export type ExplainPlan = (sql: string, params: readonly unknown[] | undefined) => Promise<string[]>;

export interface PlanResult {
  /** The normalized statement asked for. */
  sql: string;
  plan?: string[];
  error?: string;
}

/**
 * The last read statements seen (consecutive repeats once), in a ring: the oldest is overwritten
 * first. Statements a driver formats client-side (mysql2's `query` with values) are a new string
 * each time: a Map keyed by text hashed each one and deleted one old entry per query (≈1 µs a
 * query on Node 24); a ring slot costs two stores. explainStatements takes the newest per text.
 */
const RING_SIZE = 512;
/** A plan that takes longer than this is given up (the database may be busy or locked). */
const PLAN_TIMEOUT_MS = 3_000;

const ringSql: Array<string | undefined> = new Array(RING_SIZE).fill(undefined);
const ringPlan: Array<ExplainPlan | undefined> = new Array(RING_SIZE).fill(undefined);
const ringParams: Array<readonly unknown[] | undefined> = new Array(RING_SIZE).fill(undefined);
/** The slot the next statement goes to. */
let nextSlot = 0;

/** The statement remembered last and whether it is explained: a loop's statements skip the test and the new slot. */
let lastSql: string | undefined;
let lastWasRead = false;

/**
 * Remembers how to explain `sql` (reads, and writes that find their rows by a WHERE: an INSERT's plan says
 * nothing). What `explain`
 * holds lives as long as its slot, 512 statements: a closure over a hook's pending query (its stack's call
 * sites) would keep each query's objects past a few scavenges into the old generation.
 */
export function rememberPlan(sql: string, explain: ExplainPlan, params?: readonly unknown[]): void {
  if (sql === lastSql) {
    // already the newest slot (or a write): its plan is replaced in place
    if (!lastWasRead) return;
    const newest = (nextSlot + RING_SIZE - 1) % RING_SIZE;
    ringPlan[newest] = explain;
    ringParams[newest] = params;
    return;
  }
  lastSql = sql;
  lastWasRead = isRead(sql) || isFilteredWrite(sql);
  if (!lastWasRead) return;
  ringSql[nextSlot] = sql;
  ringPlan[nextSlot] = explain;
  ringParams[nextSlot] = params;
  nextSlot = (nextSlot + 1) % RING_SIZE;
}

interface Remembered {
  sql: string;
  explain: ExplainPlan;
  params: readonly unknown[] | undefined;
}

/** The remembered statements and their plans, newest first. */
function* newestFirst(): Generator<Remembered> {
  for (let i = 1; i <= RING_SIZE; i++) {
    const slot = (nextSlot - i + RING_SIZE) % RING_SIZE;
    const sql = ringSql[slot];
    const explain = ringPlan[slot];
    if (sql === undefined || explain === undefined) return;
    yield { sql, explain, params: ringParams[slot] };
  }
}

const SELECT = 'select';
const WITH = 'with';

/** `^\s*\(?\s*(select|with)\b`, case-insensitive, by hand: run per statement, and mostly on new text. */
export function isRead(sql: string): boolean {
  let at = skipSpace(sql, 0);
  if (sql.charCodeAt(at) === 40 /* ( */) at = skipSpace(sql, at + 1);
  return startsWithWord(sql, at, SELECT) || startsWithWord(sql, at, WITH);
}

function skipSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** `\s`: ASCII white space, then the Unicode spaces (rare in SQL: looked at only past ASCII). */
function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `word` (lower case) at `at`, in any case, followed by a non-word character or the end. */
function startsWithWord(text: string, at: number, word: string): boolean {
  if (text.length < at + word.length) return false;
  for (let i = 0; i < word.length; i++) {
    // ASCII letters only: `| 0x20` lowers them
    if ((text.charCodeAt(at + i) | 0x20) !== word.charCodeAt(i)) return false;
  }
  const next = text.charCodeAt(at + word.length);
  return !((next >= 48 && next <= 57) || (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95);
}

function withTimeout(plan: Promise<string[]>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no plan within ${PLAN_TIMEOUT_MS} ms`)), PLAN_TIMEOUT_MS);
    timer.unref();
    plan.then(
      (lines) => {
        clearTimeout(timer);
        resolve(lines);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Plans of the statements asked for (by normalized text), one after the other so the app's pool is not flooded. */
export async function explainStatements(normalized: readonly string[]): Promise<PlanResult[]> {
  const wanted = new Set(normalized);
  const found = new Map<string, Remembered>();
  const normalizedOf = new Map<string, string>();
  for (const remembered of newestFirst()) {
    let key = normalizedOf.get(remembered.sql);
    if (key === undefined) {
      key = normalizeSql(remembered.sql);
      normalizedOf.set(remembered.sql, key);
    }
    if (wanted.has(key) && !found.has(key)) found.set(key, remembered);
  }
  const results: PlanResult[] = [];
  for (const sql of normalized) {
    const remembered = found.get(sql);
    if (!remembered) {
      results.push({ sql, error: 'the statement was not seen through a connection culprit can reuse' });
      continue;
    }
    try {
      results.push({ sql, plan: await withTimeout(remembered.explain(remembered.sql, remembered.params)) });
    } catch (error) {
      results.push({ sql, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/**
 * MySQL and MariaDB EXPLAIN rows as diagnose's plan reader takes them: one line of `name=value` pairs per row.
 * `id` and `select_type` say which SELECT of the statement a row reads for: a derived table's run once, a
 * DEPENDENT SUBQUERY's once per row of the SELECT around it.
 * MariaDB's ANALYZE rows also say what share of the rows read each table's filter kept (`r_filtered`, a percent).
 */
export function mysqlPlanLines(rows: unknown): string[] {
  const list = Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
  return list.map((row) =>
    ['id', 'select_type', 'table', 'type', 'possible_keys', 'key', 'rows', 'r_filtered', 'Extra']
      .filter((name) => name !== 'r_filtered' || (row[name] !== undefined && row[name] !== null))
      .map((name) => `${name}=${row[name] === null || row[name] === undefined ? 'NULL' : String(row[name])}`)
      .join(' '),
  );
}

/**
 * Seconds MariaDB may spend running a statement again to measure its filters: a statement slower than that
 * keeps its EXPLAIN alone (the server stops the run at the limit).
 */
const ANALYZE_SECONDS = 1;

/** A read that changes nothing and takes no lock when run once more. */
function safeToRunAgain(sql: string): boolean {
  return /^\s*\(?\s*select\b/i.test(sql) && !/\bfor\s+(?:update|share)\b|\block\s+in\s+share\s+mode\b/i.test(sql);
}

/**
 * A table read whole (`type=ALL`) wants an index only when its filter keeps few of its rows, and a plain EXPLAIN
 * does not say how few (MariaDB keeps no column statistics unless told to). MariaDB's ANALYZE runs the statement
 * and says it: its rows replace the plan's. MySQL rejects the syntax, and the plan stays as it was.
 */
function withFilterShares(
  run: RunOnConnection,
  sql: string,
  params: readonly unknown[],
  lines: string[],
): Promise<string[]> {
  if (!lines.some((line) => /\btype=ALL\b/.test(line)) || !safeToRunAgain(sql)) return Promise.resolve(lines);
  return new Promise((resolve) =>
    run(`SET STATEMENT max_statement_time=${ANALYZE_SECONDS} FOR ANALYZE ${sql}`, params, (error, rows) => {
      const analyzed = error ? [] : mysqlPlanLines(rows);
      resolve(analyzed.length === lines.length ? analyzed : lines);
    }),
  );
}

/** EXPLAIN without its notes (a pool may answer SHOW WARNINGS on another connection), with MariaDB's filter shares. */
export function explainMeasured(run: RunOnConnection, sql: string, params: readonly unknown[]): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) =>
    run(`EXPLAIN ${sql}`, params, (error, rows) => (error ? reject(error) : resolve(mysqlPlanLines(rows)))),
  ).then((lines) => withFilterShares(run, sql, params, lines));
}

/** MariaDB's note 1105: "Cannot use key `k` part[0] for lookup: `db`.`t`.`c` of type `varchar` = "v" of type `int`". */
const MARIADB_UNUSABLE_KEY =
  /^Cannot use key `([^`]+)` part\[\d+\] for lookup: (?:`[^`]*`\.)?`([^`]+)`\.`([^`]+)` of type `([^`]+)` = .* of type `([^`]+)`$/s;
/** MySQL's warning 1739: "Cannot use ref access on index 'k' due to type or collation conversion on field 'c'". */
const MYSQL_UNUSABLE_KEY =
  /^Cannot use (?:ref|range) access on index '([^']+)' due to type or collation conversion on field '([^']+)'/;

/**
 * The warnings an EXPLAIN leaves that say an index could not serve the statement because it compares the
 * column with a value of another type or collation, as plan lines (`note=unusable-key …`, no `table=`, so plan
 * readers pass over them). The compared value is left out: it is a query parameter.
 */
export function unusableKeyNotes(rows: unknown): string[] {
  const notes = new Set<string>();
  for (const row of Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : []) {
    const message = String(row?.Message ?? '');
    const mariadb = MARIADB_UNUSABLE_KEY.exec(message);
    if (mariadb) {
      const [, key, table, column, columnType, valueType] = mariadb;
      notes.add(
        `note=unusable-key key=${key} of=${table} column=${column} column_type=${columnType} value_type=${valueType}`,
      );
      continue;
    }
    const mysql = MYSQL_UNUSABLE_KEY.exec(message);
    if (mysql) notes.add(`note=unusable-key key=${mysql[1]} column=${mysql[2]}`);
  }
  return [...notes];
}

/** A driver's unpatched callback-style call on one connection. */
export type RunOnConnection = (
  sql: string,
  params: readonly unknown[],
  done: (error: unknown, rows: unknown) => void,
) => void;

/**
 * EXPLAIN on one connection, with SHOW WARNINGS queued right behind it (a connection runs its commands in
 * order, so no other statement can reset the warnings between them): the plan's lines, then its notes.
 */
export function explainWithNotes(run: RunOnConnection, sql: string, params: readonly unknown[]): Promise<string[]> {
  const plan = new Promise<string[]>((resolve, reject) =>
    run(`EXPLAIN ${sql}`, params, (error, rows) => (error ? reject(error) : resolve(mysqlPlanLines(rows)))),
  );
  const notes = new Promise<string[]>((resolve) =>
    run('SHOW WARNINGS', [], (error, rows) => resolve(error ? [] : unusableKeyNotes(rows))),
  );
  return Promise.all([plan, notes])
    .then(([lines, extra]) => Promise.all([withFilterShares(run, sql, params, lines), extra]))
    .then(([lines, extra]) => [...lines, ...extra]);
}
