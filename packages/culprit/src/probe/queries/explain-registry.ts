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

/** Remembers how to explain `sql` (read statements only: a plan of a write is of no use here). */
export function rememberPlan(sql: string, explain: ExplainPlan): void {
  if (!/^\s*\(?\s*(select|with)\b/i.test(sql)) return;
  latest.delete(sql);
  latest.set(sql, explain);
  if (latest.size > MAX_STATEMENTS) {
    const oldest = latest.keys().next().value;
    if (oldest !== undefined) latest.delete(oldest);
  }
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
