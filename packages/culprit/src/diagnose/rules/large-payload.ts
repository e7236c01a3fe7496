import type { Finding } from '../../capture/types.js';
import { clampShare, formatBytes, formatCount, formatPlace } from '../evidence.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';

/** Serializing and sending a body costs about this many ms per MB on one core (JSON.stringify + socket). */
const MS_PER_MB = 12;

/**
 * A response far larger than a client can use: every byte is read from the
 * database, serialized and sent. Blamed on the query that supplied the
 * collection (where a page or a narrower select belongs).
 */
export const largePayload: Rule = {
  id: 'large-payload',
  kind: 'cause',
  describe: `a response body of >= ${formatBytes(settings.largePayloadBytes)}`,
  run(facts) {
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request));
  },
};

function findingsFor(request: RequestFacts): Finding[] {
  const { request: record, endpoint } = request;
  if (record.bytes < settings.largePayloadBytes) return [];
  const source = [...request.queries].sort((a, b) => b.rows - a.rows)[0];
  const location = source?.site ?? source?.statementLine;
  const perItem = record.bytes / Math.max(request.items, 1);
  const megabytes = record.bytes / 1_000_000;
  const savesMs = Math.min(record.wallMs, Math.max(record.cpuMs - request.queryMs, 0), megabytes * MS_PER_MB * 2) * 0.9;
  const finding: Finding = {
    endpoint,
    rule: largePayload.id,
    severity: severityFor(savesMs, record.wallMs),
    title: `${endpoint} returns ${formatBytes(record.bytes)} of ${request.items > 1 ? `${formatCount(request.items)} items (${formatBytes(perItem)} each)` : 'body'}${location ? `, from the rows loaded at ${formatPlace(location)}` : ''}: page it or send less per item`,
    impact: clampShare(savesMs / Math.max(record.wallMs, 1e-9)),
    savesMs,
    evidence: [
      { label: 'body', value: formatBytes(record.bytes) },
      {
        label: 'items',
        value: `${formatCount(request.items)}${request.itemsPath ? ` (in "${request.itemsPath}")` : ''}`,
      },
      ...(source ? [{ label: 'rows loaded', value: `${formatCount(source.rows)} by ${source.sql}` }] : []),
    ],
    suggestion:
      'Paginate (LIMIT and a cursor), select only the fields the client shows, and link large blobs instead of inlining them.',
  };
  if (location) finding.location = location;
  else finding.noAppLine = 'no query supplied the body, or none was recorded';
  return [finding];
}
