/**
 * Asks the target for the plans of the statements a diagnosis will judge:
 * the slow ones and the ones that return many rows, reads and the writes
 * that find their rows by a WHERE. Plans are asked once per
 * statement, after the trace pass, through the app's own connection; a
 * statement that cannot be explained just has no plan.
 */
import type { Capture, QueryRecord, RequestRecord } from '../capture/types.js';
import { settings } from '../diagnose/settings.js';
import { isFilteredWrite } from '../probe/queries/filtered-write.js';
import type { ProbeControl } from '../target/types.js';

/** Statements slower than this, or returning more rows, are worth a plan. */
const PLAN_MIN_MS = 20;
const PLAN_MIN_ROWS = 1_000;
/**
 * So is one that holds the share of its request from which diagnose judges a whole-table read to filter
 * as slow (a quarter, from 5 ms): without its plan that read is judged only from half of the request, so
 * two unindexed lookups of a third each went unsaid. A 14 ms scan of 300,000 rows on a fast machine is
 * the same missing index.
 */
const PLAN_SHARE = settings.unindexedFilterShare;
const PLAN_SHARE_MIN_MS = settings.unindexedFilterMinMs;
/** Plans asked per capture at most: each is a round trip to the app's database. */
const MAX_PLANS = 10;

function worthAPlan(query: QueryRecord, request: RequestRecord): boolean {
  const dominant = query.durationMs >= PLAN_SHARE_MIN_MS && query.durationMs >= PLAN_SHARE * request.wallMs;
  return (
    (/^\s*\(?\s*(select|with)\b/i.test(query.sql) || isFilteredWrite(query.sql)) &&
    (query.durationMs >= PLAN_MIN_MS || (query.rows ?? 0) >= PLAN_MIN_ROWS || dominant)
  );
}

export async function attachPlans(capture: Capture, probe: Pick<ProbeControl, 'explain'>): Promise<Capture> {
  const costs = new Map<string, number>();
  for (const request of capture.requests) {
    for (const query of request.queries) {
      if (worthAPlan(query, request)) costs.set(query.sql, Math.max(costs.get(query.sql) ?? 0, query.durationMs));
    }
  }
  if (costs.size === 0) return capture;
  const wanted = [...costs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_PLANS)
    .map(([sql]) => sql);
  const results = await probe.explain(wanted);
  const plans = new Map(results.filter((r) => r.plan).map((r) => [r.sql, r.plan as string[]]));
  const notes = results.filter((r) => r.error).map((r) => `no plan for ${r.sql.slice(0, 80)}: ${r.error}`);
  return {
    ...capture,
    requests: capture.requests.map((request) => ({
      ...request,
      queries: request.queries.map((query) => {
        const plan = plans.get(query.sql);
        return plan ? { ...query, plan } : query;
      }),
    })),
    ...(notes.length ? { notes: [...(capture.notes ?? []), ...notes] } : {}),
  };
}

/** `record` with the plans already asked for its statements in `explained` (a run traced after the plans were asked). */
export function withPlansOf(record: RequestRecord, explained: readonly RequestRecord[]): RequestRecord {
  const plans = new Map<string, string[]>();
  for (const request of explained) {
    for (const query of request.queries) if (query.plan) plans.set(query.sql, query.plan);
  }
  if (plans.size === 0) return record;
  return {
    ...record,
    queries: record.queries.map((query) => {
      const plan = plans.get(query.sql);
      return plan ? { ...query, plan } : query;
    }),
  };
}
