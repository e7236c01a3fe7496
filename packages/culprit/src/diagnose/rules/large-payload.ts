import type { Finding, SourceLocation } from '../../capture/types.js';
import { clampShare, formatBytes, formatCount, formatPlace } from '../evidence.js';
import { hotOwnCodeShare } from '../facts/own-hot-code.js';
import { type FunnelIndex, type QueryFact, queryFactsOf } from '../facts/query-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { collectionLine } from '../facts/response-items.js';
import { type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';

/** Serializing and sending a body costs about this many ms per MB on one core (JSON.stringify + socket). */
const MS_PER_MB = 12;

/**
 * A response far larger than a client can use: every byte is read from the
 * database, serialized and sent. Blamed on the query that supplied the
 * collection (where a page or a narrower select belongs), or, when each item
 * carries a blob, on the line that shapes those rows into the response's
 * items (where an inline image becomes a link), if the source shows it.
 */
export const largePayload: Rule = {
  id: 'large-payload',
  kind: 'cause',
  describe: `a response body of >= ${formatBytes(settings.largePayloadBytes)}`,
  run(facts) {
    // the profile is per endpoint only when one endpoint was diagnosed
    const only = facts.requests.length === 1 ? facts.requests[0] : undefined;
    const ownHotShare = only ? hotOwnCodeShare(facts.cpu, only) : 0;
    return facts.requests
      .filter(answered)
      .flatMap((request) => findingsFor(request, facts.funnels, ownHotShare, facts.readSource));
  },
};

/**
 * The line, on the query's call chain from the innermost frame out, where the
 * rows it returned become the body's collection (`photos: rows.map(toDto)`).
 */
function shapingLine(
  query: QueryFact,
  itemsPath: string | undefined,
  readSource: ReadSource | undefined,
): SourceLocation | undefined {
  if (!readSource || itemsPath === undefined) return undefined;
  for (let depth = query.chain.length - 1; depth >= 0; depth--) {
    const frame = query.chain[depth] as SourceLocation;
    const text = readSource(frame.file.replace(/^file:\/\//, ''));
    const line = text === undefined ? undefined : collectionLine(text.split(/\r?\n/), frame.line, itemsPath);
    if (line !== undefined) return { ...frame, line, column: 1 };
  }
  return undefined;
}

/**
 * The query of another run of the endpoint that loaded the items, when the typical run loaded none: a cache
 * (an ORM's result cache, a memo) served it, so the rows came from the run that missed it.
 */
function cachedSource(request: RequestFacts, funnels: FunnelIndex): QueryFact | undefined {
  if (request.queries.some((query) => query.rows >= request.items)) return undefined;
  return request.runs
    .filter((run) => run !== request.request && run.status < 400)
    .flatMap((run) => queryFactsOf(run, funnels))
    .filter((query) => query.rows >= request.items && (query.site ?? query.statementLine))
    .sort((a, b) => b.rows - a.rows)[0];
}

/**
 * What a page of the body saves. A body of a table's worth of rows (>= excessRowsMin) costs each row's
 * reading, building into an ORM entity and shaping before any serializing: a page saves that CPU and the
 * rows' query (30,000 articles with 150,000 comments, 46 MB: 17 s of CPU, of which serializing is about a
 * second). A body of few rows, each large, costs serializing and sending it: that, at most.
 */
function pagedSavesMs(
  request: RequestFacts,
  source: QueryFact | undefined,
  requestMs: number,
  ownHotShare: number,
): number {
  const { request: record } = request;
  // the app's own hot code (a quadratic copy of the items) is a cause of its own, whatever the page's size
  const ownCpuMs = Math.max(record.cpuMs - request.queryMs - record.cpuMs * ownHotShare, 0);
  if (source && source.rows >= settings.excessRowsMin) return Math.min(requestMs, ownCpuMs + source.durationMs) * 0.9;
  return Math.min(requestMs, ownCpuMs, (record.bytes / 1_000_000) * MS_PER_MB * 2) * 0.9;
}

function findingsFor(
  request: RequestFacts,
  funnels: FunnelIndex,
  ownHotShare: number,
  readSource: ReadSource | undefined,
): Finding[] {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  if (record.bytes < settings.largePayloadBytes) return [];
  const cached = request.items > 1 ? cachedSource(request, funnels) : undefined;
  const source = cached ?? [...request.queries].sort((a, b) => b.rows - a.rows)[0];
  const loadedAt = source?.site ?? source?.statementLine;
  const perItem = record.bytes / Math.max(request.items, 1);
  const shapedAt =
    source && request.items > 1 && perItem >= settings.largeItemBytes
      ? shapingLine(source, request.itemsPath, readSource)
      : undefined;
  const location = shapedAt ?? loadedAt;
  const savesMs = pagedSavesMs(request, source, requestMs, ownHotShare);
  const finding: Finding = {
    endpoint,
    rule: largePayload.id,
    severity: severityFor(savesMs, requestMs),
    title: shapedAt
      ? `${endpoint} returns ${formatBytes(record.bytes)} of ${formatCount(request.items)} items (${formatBytes(perItem)} each), shaped at ${formatPlace(shapedAt)} from the rows loaded at ${formatPlace(loadedAt)}: send less per item (link large fields) and page it`
      : `${endpoint} returns ${formatBytes(record.bytes)} of ${request.items > 1 ? `${formatCount(request.items)} items (${formatBytes(perItem)} each)` : 'body'}${location ? `, from the rows loaded at ${formatPlace(location)}` : ''}: page it or send less per item`,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence: [
      { label: 'body', value: formatBytes(record.bytes) },
      {
        label: 'items',
        // the probe parses a JSON body up to 32 MB: a larger one (or one not JSON) has no count, not one item
        value:
          record.items === undefined
            ? 'not counted (the body is not JSON, or too large to parse)'
            : `${formatCount(request.items)}${request.itemsPath ? ` (in "${request.itemsPath}")` : ''}`,
      },
      ...(source ? [{ label: 'rows loaded', value: `${formatCount(source.rows)} by ${source.sql}` }] : []),
      ...(cached
        ? [
            {
              label: 'cached',
              value: 'the typical run ran no query for them: a cache served the rows another run loaded',
            },
          ]
        : []),
    ],
    suggestion:
      'Paginate (LIMIT and a cursor), select only the fields the client shows, and link large blobs instead of inlining them.',
  };
  if (location) finding.location = location;
  else finding.noAppLine = 'no query supplied the body, or none was recorded';
  return [finding];
}
