import type { Finding } from '../../capture/types.js';
import { formatMs } from '../evidence.js';
import { answered } from '../facts/request-facts.js';
import type { Rule } from '../rule.js';
import { settings } from '../settings.js';

/**
 * A request that spent most of its time waiting while no query was recorded:
 * either it waits on something culprit does not record, or its database
 * driver is not hooked. Saying so beats a silent "no findings".
 */
export const unseenQueries: Rule = {
  id: 'unseen-queries',
  kind: 'symptom',
  describe: `a request waits >= ${settings.unseenWaitMs} ms (not on CPU) with no query recorded`,
  run(facts) {
    return facts.requests.filter(answered).flatMap(({ request, endpoint, queryCount }): Finding[] => {
      const waitedMs = request.wallMs - request.cpuMs;
      if (queryCount > 0 || waitedMs < settings.unseenWaitMs) return [];
      return [
        {
          rule: unseenQueries.id,
          severity: 'warning',
          endpoint,
          title: `${endpoint} waited ${formatMs(waitedMs)} with no SQL seen: is its driver supported, or is it waiting on another service?`,
          impact: waitedMs / Math.max(request.wallMs, 1e-9),
          savesMs: 0,
          evidence: [
            { label: 'request time', value: formatMs(request.wallMs) },
            { label: 'CPU', value: formatMs(request.cpuMs) },
            { label: 'queries recorded', value: '0' },
          ],
          noAppLine: 'nothing was recorded during the wait; supported drivers: pg, mysql2, better-sqlite3, node:sqlite',
        },
      ];
    });
  },
};
