import type { Finding } from '../../capture/types.js';
import { formatMs } from '../evidence.js';
import { answered } from '../facts/request-facts.js';
import type { Rule } from '../rule.js';
import { settings } from '../settings.js';

/**
 * A symptom: one synchronous stretch that holds every other request back.
 * It is folded into the cause that spends that time when one was found; on
 * its own it says that no app line could be charged with it.
 */
export const eventLoopBlocking: Rule = {
  id: 'event-loop-blocking',
  kind: 'symptom',
  describe: `a request blocks the event loop for >= ${settings.blockingMs} ms in one synchronous stretch`,
  run(facts) {
    return facts.requests.filter(answered).flatMap(({ request, endpoint }): Finding[] => {
      const blockingMs = request.blockingMs ?? 0;
      if (blockingMs < settings.blockingMs) return [];
      const busiest = facts.cpu?.hotspots[0];
      return [
        {
          rule: eventLoopBlocking.id,
          // unexplained by any cause, it is context for the reader, not a thing to fix by itself
          severity: 'info',
          endpoint,
          title: `${endpoint} blocks the event loop for ${formatMs(blockingMs)}: no other request is served meanwhile`,
          impact: blockingMs / Math.max(request.wallMs, 1e-9),
          savesMs: blockingMs,
          evidence: [
            { label: 'longest synchronous stretch', value: formatMs(blockingMs) },
            { label: 'request time', value: formatMs(request.wallMs) },
          ],
          noAppLine: busiest
            ? `the samples charge no single app line with it (the busiest, ${busiest.fn.name}, has ${formatMs(busiest.msPerRequest)} per request)`
            : 'no profile was taken (run without --no-profile to see which code runs in that stretch)',
        },
      ];
    });
  },
};
