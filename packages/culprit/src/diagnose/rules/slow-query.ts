import type { Finding } from '../../capture/types.js';
import { clampShare, endpointOf, formatCount, formatLocation, formatMs, typicalRequests } from '../evidence.js';
import type { Rule } from '../rule.js';

/** A single query slower than this is worth an index or a narrower shape. */
export const SLOW_QUERY_MS = 100;
/** Or one query taking at least this share of its request. */
export const SLOW_QUERY_SHARE = 0.5;
/** ... but shares of tiny requests are noise. */
export const SLOW_QUERY_MIN_MS = 5;

export const slowQuery: Rule = {
  id: 'slow-query',
  describe: `one query takes >= ${SLOW_QUERY_MS} ms, or >= ${SLOW_QUERY_SHARE * 100}% of its request (and >= ${SLOW_QUERY_MIN_MS} ms)`,
  run(capture) {
    const findings: Finding[] = [];
    for (const request of typicalRequests(capture.requests)) {
      for (const query of request.queries) {
        const share = query.durationMs / Math.max(request.wallMs, 1e-9);
        const slow =
          query.durationMs >= SLOW_QUERY_MS || (share >= SLOW_QUERY_SHARE && query.durationMs >= SLOW_QUERY_MIN_MS);
        if (!slow) continue;
        findings.push({
          rule: slowQuery.id,
          severity: query.durationMs >= SLOW_QUERY_MS ? 'warning' : 'info',
          title: `${endpointOf(request)} spends ${formatMs(query.durationMs)} in one query at ${formatLocation(query.location)}`,
          impact: clampShare(share),
          ...(query.location ? { location: query.location } : {}),
          evidence: [
            { label: 'query', value: query.sql },
            { label: 'rows', value: query.rows === null ? 'unknown' : formatCount(query.rows) },
            { label: 'share of request', value: `${(share * 100).toFixed(0)}%` },
          ],
          suggestion: 'Check the query plan (EXPLAIN) for a scan, and whether all the rows and columns are needed.',
        });
      }
    }
    return findings;
  },
};
