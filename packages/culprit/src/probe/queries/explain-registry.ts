/**
 * How to ask the database for the plan of a statement the app ran, through
 * the app's own connection and with the statement's own parameters: each
 * driver hook leaves a closure here for the SELECTs it sees inside a request.
 * Only the latest per statement text is kept, and only a bounded number, so a
 * long-running server holds a few hundred closures at most. Plans are asked
 * for after the request (never ANALYZE: nothing is executed).
 */
import { normalizeSql } from './normalize-sql.js';

export type ExplainPlan = () => Promise<string[]>;

export interface PlanResult {
  /** The normalized statement asked for. */
  sql: string;
  plan?: string[];
  error?: string;
}

/** Statements kept; the oldest is forgotten first. */
const MAX_STATEMENTS = 256;
/** A plan that takes longer than this is given up (the database may be busy or locked). */
const PLAN_TIMEOUT_MS = 3_000;

const latest = new Map<string, ExplainPlan>();

/** Past MAX_STATEMENTS, the oldest are forgotten this many at a time: one walk from the front, not one per statement. */
const EVICT_BATCH = 64;

/** The statement remembered last and whether it was a read: a loop's statements skip the test and the reordering. */
let lastSql: string | undefined;
let lastWasRead = false;

/** Remembers how to explain `sql` (read statements only: a plan of a write is of no use here). */
export function rememberPlan(sql: string, explain: ExplainPlan): void {
  if (sql === lastSql) {
    // already the newest entry (or a write): replacing keeps its place, no delete and re-insert
    if (lastWasRead) latest.set(sql, explain);
    return;
  }
  lastSql = sql;
  lastWasRead = isRead(sql);
  if (!lastWasRead) return;
  latest.delete(sql);
  latest.set(sql, explain);
  // a Map's deleted entries stay as holes its iterator walks over until it is rebuilt: evicting one oldest entry
  // per new statement (statements formatted client-side are all new) walked more holes each time
  if (latest.size > MAX_STATEMENTS + EVICT_BATCH) {
    let evict = latest.size - MAX_STATEMENTS;
    for (const oldest of latest.keys()) {
      if (evict-- <= 0) break;
      latest.delete(oldest);
    }
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
  const found = new Map<string, ExplainPlan>();
  for (const [sql, explain] of latest) {
    const key = normalizeSql(sql);
    if (wanted.has(key)) found.set(key, explain);
  }
  const results: PlanResult[] = [];
  for (const sql of normalized) {
    const explain = found.get(sql);
    if (!explain) {
      results.push({ sql, error: 'the statement was not seen through a connection culprit can reuse' });
      continue;
    }
    try {
      results.push({ sql, plan: await withTimeout(explain()) });
    } catch (error) {
      results.push({ sql, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** MySQL and MariaDB EXPLAIN rows as diagnose's plan reader takes them: one line of `name=value` pairs per row. */
export function mysqlPlanLines(rows: unknown): string[] {
  const list = Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
  return list.map((row) =>
    ['table', 'type', 'possible_keys', 'key', 'rows', 'Extra']
      .map((name) => `${name}=${row[name] === null || row[name] === undefined ? 'NULL' : String(row[name])}`)
      .join(' '),
  );
}
