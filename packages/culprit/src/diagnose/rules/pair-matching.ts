import type { Finding, SourceLocation } from '../../capture/types.js';
import { clampShare, formatCount, formatMs, formatPlace } from '../evidence.js';
import type { LibraryWork } from '../facts/cpu-facts.js';
import type { QueryFact } from '../facts/query-facts.js';
import type { RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';

/**
 * A library function run once for every pair of an item and a row the request loaded: its exact calls
 * are the response's items times the rows of some of its reads (an ORM attaching each preloaded related
 * row to its parent by scanning all the rows for each parent: 4,000 items × 41,982 rows = 167,928,000
 * calls). The work runs in promise jobs after the reads, with no app frame on its stack, so no app line
 * is charged with it by the samples; the read of the most rows is where the rows came from.
 */
export const pairMatching: Rule = {
  id: 'call-explosion',
  kind: 'cause',
  describe: `a library function runs once for each item × row of the request's reads (>= ${formatCount(settings.callStormPerRequest)} calls), outside any app frame`,
  run(facts) {
    const traced = facts.requests.length === 1 ? facts.requests[0] : undefined;
    if (!facts.cpu || !traced || traced.items < MIN_ITEMS) return [];
    const work = facts.cpu.libraryWork.find(
      (w) =>
        w.share >= settings.hotShare &&
        w.msPerRequest >= settings.hotMinMs &&
        w.callsPerRequest >= settings.callStormPerRequest &&
        pairedRows(w.callsPerRequest, traced) !== undefined,
    );
    return work ? [describe(work, traced)] : [];
  },
};

/** Fewer items are a page: a few scans of the rows each cost little. */
const MIN_ITEMS = 50;
/** Calls off the product by this share still count as one per pair (a few items with no rows, rounding). */
const PRODUCT_TOLERANCE = 0.01;
/** Reads tried in sets: 2^n sums. */
const MAX_READS = 12;

/** The reads whose rows, summed, times the items make `calls`: each item was matched against each row. */
function pairedRows(calls: number, request: RequestFacts): QueryFact[] | undefined {
  const reads = request.queries
    .filter((q) => q.rows > 0 && /^\s*\(?\s*(?:select|with)\b/i.test(q.sql))
    .sort((a, b) => b.rows - a.rows)
    .slice(0, MAX_READS);
  const perItem = calls / request.items;
  // one row per item (each item looked at once) is no product
  if (perItem < 2) return undefined;
  for (let set = 1; set < 1 << reads.length; set++) {
    const chosen = reads.filter((_, i) => (set >> i) & 1);
    const rows = chosen.reduce((sum, q) => sum + q.rows, 0);
    if (rows >= 2 && Math.abs(perItem - rows) <= PRODUCT_TOLERANCE * rows) return chosen;
  }
  return undefined;
}

function describe(work: LibraryWork, request: RequestFacts): Finding {
  const reads = pairedRows(work.callsPerRequest, request) ?? [];
  const rows = reads.reduce((sum, q) => sum + q.rows, 0);
  const requestMs = requestTimeMs(request.request);
  const ms = Math.min(work.msPerRequest, requestMs);
  const biggest = reads[0];
  const at: SourceLocation | undefined = biggest?.builtAt ?? biggest?.statementLine;
  const place = `${work.fn.file}:${work.fn.line}`;
  const pkg = work.fn.package ? `${work.fn.package}'s ` : '';
  // an anonymous function is already named by its place: say the place once
  const name = work.fn.name.startsWith('(anonymous')
    ? `${pkg}function at ${place}`
    : `${pkg}${work.fn.name} (${place})`;
  const finding: Finding = {
    rule: pairMatching.id,
    severity: severityFor(ms, requestMs),
    endpoint: request.endpoint,
    title: `${request.endpoint}: ${name} runs ${formatCount(work.callsPerRequest)} times per request, once for each of the ${formatCount(request.items)} items and each of the ${formatCount(rows)} rows loaded with them${at ? ` by the query at ${formatPlace(at)}` : ''}: ${formatMs(ms)} per request`,
    impact: clampShare(ms / Math.max(requestMs, 1e-9)),
    savesMs: ms,
    evidence: [
      {
        label: 'calls',
        value: `${formatCount(work.callsPerRequest)} per request (exact) = ${formatCount(request.items)} items × ${formatCount(rows)} rows`,
      },
      {
        label: 'CPU',
        value: `${formatMs(work.msPerRequest)} per request in it and what it calls, no app frame above it`,
      },
      ...reads.map((q) => ({ label: `${formatCount(q.rows)} rows`, value: q.sql })),
    ],
    suggestion:
      'The library pairs every item with every loaded row: give it fewer of both on this path (a page of items; a count or an aggregate in SQL instead of loading related rows only to count or test them), or load the relation already grouped by its parent.',
    callee: work.fn.name,
  };
  if (work.fn.package) finding.calleePackage = work.fn.package;
  if (at) finding.location = at;
  else finding.noAppLine = 'the rows came from reads with no app line';
  return finding;
}
