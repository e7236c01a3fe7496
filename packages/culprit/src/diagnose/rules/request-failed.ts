import type { Finding } from '../../capture/types.js';
import { formatMs } from '../evidence.js';
import type { Rule } from '../rule.js';

/**
 * A request that failed is not a slow request: diagnosing its timing would
 * describe an error page. Says how it failed, with the failing SQL if any.
 */
export const requestFailed: Rule = {
  id: 'request-failed',
  kind: 'cause',
  describe: 'the request answered with a status >= 400 or failed before a response',
  run(facts) {
    return facts.requests
      .filter(({ request }) => request.error !== undefined || request.status >= 400)
      .map(({ request, endpoint }): Finding => {
        const failedSql = request.queries.filter((q) => q.error !== undefined);
        const how = request.error ? `failed: ${request.error}` : `answered ${request.status}`;
        const head = request.bodyHead?.replace(/\s+/g, ' ').trim().slice(0, 200);
        const finding: Finding = {
          rule: requestFailed.id,
          severity: 'critical',
          endpoint,
          title: `${endpoint} ${how}: its timing says nothing about the endpoint until it succeeds`,
          impact: 1,
          savesMs: request.wallMs,
          evidence: [
            { label: 'status', value: request.error ? 'no response' : String(request.status) },
            ...(head ? [{ label: 'body', value: head }] : []),
            ...failedSql.slice(0, 3).map((q) => ({ label: 'failed SQL', value: `${q.sql} → ${q.error}` })),
            { label: 'time', value: formatMs(request.wallMs) },
          ],
          noAppLine: 'the request failed; fix the failure (or pass --allow-errors to diagnose the error path)',
        };
        const located = failedSql.find((q) => q.location)?.location;
        if (located) finding.location = located;
        return finding;
      });
  },
};
