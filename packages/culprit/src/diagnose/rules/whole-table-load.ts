import type { Finding } from '../../capture/types.js';
import { appChain, divergingFrame, formatChain } from '../blame.js';
import {
  clampShare,
  endpointOf,
  formatCount,
  formatLocation,
  formatMs,
  largestQuery,
  responseItems,
  typicalRequests,
} from '../evidence.js';
import type { Rule } from '../rule.js';

/** Below this many constructions a request is never called a table load, whatever its item count. */
export const MIN_CONSTRUCTIONS_FOR_TABLE_LOAD = 1_000;
/** Objects built per item returned above which the work is out of proportion to the answer. */
export const CONSTRUCTIONS_PER_ITEM_LIMIT = 100;

/**
 * The story's bug: a request builds one object per row of a table (231,590
 * model instances) to return one item. The evidence is the ratio of objects
 * constructed to items returned, and the query that returned the rows.
 */
export const wholeTableLoad: Rule = {
  id: 'whole-table-load',
  describe: `a request constructs >= ${CONSTRUCTIONS_PER_ITEM_LIMIT}x more objects of one class than it returns items (and >= ${MIN_CONSTRUCTIONS_FOR_TABLE_LOAD})`,
  run(capture) {
    const findings: Finding[] = [];
    for (const request of typicalRequests(capture.requests)) {
      const items = responseItems(request);
      const excessive = request.constructions.filter(
        (c) => c.count >= MIN_CONSTRUCTIONS_FOR_TABLE_LOAD && c.count >= CONSTRUCTIONS_PER_ITEM_LIMIT * items,
      );
      if (excessive.length === 0) continue;
      const query = largestQuery(request);
      const rows = query?.rows ?? 0;
      const querySpansRows = query !== undefined && excessive.some((c) => rows >= c.count / 2);
      // One finding per request: a parent class counts its subclasses' instances too, so several
      // classes may show the same load; the headline is the class whose count matches the rows.
      const closeness = (count: number) => (querySpansRows ? Math.abs(count - rows) : -count);
      const [construction, ...alsoBuilt] = [...excessive].sort((a, b) => closeness(a.count) - closeness(b.count));
      if (!construction) continue;
      const location = querySpansRows ? divergingFrame(query, request.queries) : construction.location;
      const cause = querySpansRows
        ? `${formatLocation(location)}${location?.functionName ? ` (${location.functionName})` : ''} runs a query that loads ${formatCount(rows)} rows`
        : `they are built at ${formatLocation(location)}`;
      const evidence = [
        { label: 'objects constructed', value: `${formatCount(construction.count)} ${construction.className}` },
        { label: 'items returned', value: formatCount(request.items ?? 1) },
        { label: 'request time', value: formatMs(request.wallMs) },
      ];
      if (alsoBuilt.length) {
        evidence.push({
          label: 'also built',
          value: alsoBuilt.map((c) => `${formatCount(c.count)} ${c.className}`).join(', '),
        });
      }
      if (query && querySpansRows) {
        evidence.push({ label: 'query', value: query.sql });
        evidence.push({ label: 'query time', value: formatMs(query.durationMs) });
        const chain = appChain(query);
        if (chain.length > 1) evidence.push({ label: 'called through', value: formatChain(chain) });
      }
      findings.push({
        rule: wholeTableLoad.id,
        severity: 'critical',
        title: `${endpointOf(request)} constructs ${formatCount(construction.count)} ${construction.className} objects to return ${formatCount(items)} item${items === 1 ? '' : 's'}: ${cause}`,
        // Building and discarding objects per row dominates such a request; the floor keeps it above timing rules.
        impact: clampShare(Math.max(0.5, 1 - (items * CONSTRUCTIONS_PER_ITEM_LIMIT) / construction.count)),
        ...(location ? { location } : {}),
        evidence,
        suggestion:
          'Look for code that evaluates the whole query (a truthiness or length check, a debug print, a list() of a lazy query) and fetch only what the response needs.',
      });
    }
    return findings;
  },
};
