import type { Finding } from '../../capture/types.js';
import { formatMs } from '../evidence.js';
import { answered } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
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
      // a stretch is CPU or descheduling, and its CPU is at most the request's: only that is the app's to save,
      // in the unit causes are ranked in (see request-time.ts)
      const ownMs = request.cpuMs > 0 ? Math.min(blockingMs, request.cpuMs) : blockingMs;
      const evidence = [
        { label: 'longest synchronous stretch', value: formatMs(blockingMs) },
        { label: 'request time', value: formatMs(request.wallMs) },
      ];
      if (ownMs < blockingMs)
        evidence.push({
          label: 'descheduled',
          value: `at least ${formatMs(blockingMs - ownMs)} of it: the request used ${formatMs(request.cpuMs)} of CPU in all (a loaded machine)`,
        });
      return [
        {
          rule: eventLoopBlocking.id,
          // unexplained by any cause, it is context for the reader, not a thing to fix by itself
          severity: 'info',
          endpoint,
          title: `${endpoint} blocks the event loop for ${formatMs(blockingMs)}: no other request is served meanwhile`,
          impact: ownMs / Math.max(requestTimeMs(request), 1e-9),
          savesMs: ownMs,
          evidence,
          noAppLine: busiest
            ? `the samples charge no single app line with it (the busiest, ${busiest.fn.name}, has ${formatMs(busiest.msPerRequest)} per request)`
            : 'no profile was taken (run without --no-profile to see which code runs in that stretch)',
        },
      ];
    });
  },
};
