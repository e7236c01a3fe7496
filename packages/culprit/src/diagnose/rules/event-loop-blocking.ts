import type { Finding } from '../../capture/types.js';
import { clampShare, endpointOf, formatMs, typicalRequests } from '../evidence.js';
import type { Rule } from '../rule.js';

/** A synchronous stretch this long delays every other request the process serves. */
export const BLOCKING_MS = 50;

export const eventLoopBlocking: Rule = {
  id: 'event-loop-blocking',
  describe: `a request blocks the event loop for >= ${BLOCKING_MS} ms in one synchronous stretch`,
  run(capture) {
    const findings: Finding[] = [];
    for (const request of typicalRequests(capture.requests)) {
      const blockingMs = request.blockingMs ?? 0;
      if (blockingMs < BLOCKING_MS) continue;
      findings.push({
        rule: eventLoopBlocking.id,
        severity: 'warning',
        title: `${endpointOf(request)} blocks the event loop for ${formatMs(blockingMs)}: no other request is served meanwhile`,
        impact: clampShare(blockingMs / Math.max(request.wallMs, 1e-9)),
        evidence: [
          { label: 'longest synchronous stretch', value: formatMs(blockingMs) },
          { label: 'request time', value: formatMs(request.wallMs) },
        ],
        suggestion: 'Profile the request (culprit profile) to see which functions run in that stretch.',
      });
    }
    return findings;
  },
};
