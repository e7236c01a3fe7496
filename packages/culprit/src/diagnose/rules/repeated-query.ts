import type { Finding, QueryRecord } from '../../capture/types.js';
import { clampShare, endpointOf, formatCount, formatLocation, formatMs, typicalRequests } from '../evidence.js';
import type { Rule } from '../rule.js';

/** The same statement from the same line this many times in one request is an N+1 pattern. */
export const REPEATED_QUERY_THRESHOLD = 10;

/** N+1 queries: one statement shape issued in a loop, from one place in the code. */
export const repeatedQuery: Rule = {
  id: 'repeated-query',
  describe: `the same normalized SQL from the same line runs >= ${REPEATED_QUERY_THRESHOLD} times in one request (N+1)`,
  run(capture) {
    const findings: Finding[] = [];
    for (const request of typicalRequests(capture.requests)) {
      const groups = new Map<string, QueryRecord[]>();
      for (const query of request.queries) {
        const key = `${query.sql}\u0000${formatLocation(query.location)}`;
        const group = groups.get(key) ?? [];
        group.push(query);
        groups.set(key, group);
      }
      for (const group of groups.values()) {
        if (group.length < REPEATED_QUERY_THRESHOLD) continue;
        const first = group[0] as QueryRecord;
        const timeMs = group.reduce((sum, query) => sum + query.durationMs, 0);
        findings.push({
          rule: repeatedQuery.id,
          severity: 'warning',
          title: `${endpointOf(request)} runs the same query ${formatCount(group.length)} times from ${formatLocation(first.location)} (N+1): fetch them in one query`,
          impact: clampShare(timeMs / Math.max(request.wallMs, 1e-9)),
          ...(first.location ? { location: first.location } : {}),
          evidence: [
            { label: 'query', value: first.sql },
            { label: 'times', value: formatCount(group.length) },
            { label: 'total query time', value: formatMs(timeMs) },
          ],
          suggestion: 'Load the related rows in one query (a join or an IN list) instead of one per item.',
        });
      }
    }
    return findings;
  },
};
