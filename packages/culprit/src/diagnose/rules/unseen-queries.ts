import type { Finding } from '../../capture/types.js';
import { formatMs } from '../evidence.js';
import { coveredMs } from '../facts/operation-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { describeRemote, describeRemotes, type UnseenIo, unseenIoOf } from '../facts/unseen-io.js';
import type { Rule } from '../rule.js';
import { settings } from '../settings.js';

const SUPPORTED =
  'supported drivers: pg, postgres, mysql2, mysql, mariadb, better-sqlite3, sqlite3, node:sqlite; HTTP (fetch, node:http) and Redis (ioredis, node-redis) are recorded too';

/** The request wrote to sockets that no hook recorded: name where to and which clients are loaded. */
function unseenIoFinding({ request, endpoint }: RequestFacts, io: UnseenIo): Finding {
  const waitedMs = Math.max(requestTimeMs(request) - request.cpuMs, 0);
  const first = io.remotes[0];
  const clients = io.clients.length ? `; loaded: ${io.clients.join(', ')}` : '';
  return {
    rule: unseenQueries.id,
    // I/O that nothing recorded is a blind spot whatever it cost; loud when the request waited on it
    severity: waitedMs >= settings.unseenWaitMs ? 'warning' : 'info',
    endpoint,
    title: `${endpoint} talked to ${first ? describeRemote(first.remote) : 'a socket'} but culprit recorded no query: its client is not hooked${clients}`,
    impact: waitedMs / Math.max(request.wallMs, 1e-9),
    savesMs: 0,
    evidence: [
      { label: 'network I/O not recorded', value: describeRemotes(io.remotes) },
      {
        label: 'database-like packages loaded',
        value: io.clients.length ? io.clients.join(', ') : 'none found in the CommonJS module cache',
      },
      { label: 'request time', value: formatMs(request.wallMs) },
      { label: 'waiting (not on CPU)', value: formatMs(waitedMs) },
      { label: 'queries recorded', value: '0' },
    ],
    noAppLine: `the socket writes were seen, but no driver hook recorded them as queries; ${SUPPORTED}`,
  };
}

/**
 * A request that did network I/O no hook recorded, or that spent most of its
 * time waiting while no query was recorded: either it waits on something
 * culprit does not record, or its database driver is not hooked. Saying so
 * beats a silent "no findings".
 */
export const unseenQueries: Rule = {
  id: 'unseen-queries',
  kind: 'symptom',
  describe: `a request writes to sockets that no hook recorded, or waits >= ${settings.unseenWaitMs} ms (not on CPU) with no query recorded`,
  run(facts) {
    return facts.requests.filter(answered).flatMap((fact): Finding[] => {
      const { request, endpoint, queryCount, remote } = fact;
      const io = unseenIoOf(request);
      if (io) return [unseenIoFinding(fact, io)];
      // recorded HTTP calls and Redis round trips are seen waits: only the rest is unexplained
      const waitedMs = requestTimeMs(request) - request.cpuMs - coveredMs(remote);
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
          noAppLine: `nothing was recorded during the wait; ${SUPPORTED}`,
        },
      ];
    });
  },
};
