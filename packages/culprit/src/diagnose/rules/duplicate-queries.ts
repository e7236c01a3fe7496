import type { Finding, SourceLocation } from '../../capture/types.js';
import { clampShare, formatCount, formatMs, formatPlace } from '../evidence.js';
import { lineKey } from '../facts/app-frames.js';
import { isControlStatement, type QueryFact } from '../facts/query-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { atLeast, type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';
import { noLineReason } from './excess-rows.js';
import { perItemGroups } from './n-plus-one.js';

/**
 * The same statement with the same values, run again and again in one
 * request (the current user, a settings row): every repeat after the first
 * fetches an answer the request already had.
 */
export const duplicateQueries: Rule = {
  id: 'duplicate-queries',
  kind: 'cause',
  describe: `one statement with identical values runs >= ${settings.duplicateMin} times in one request`,
  run(facts) {
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request));
  },
};

function findingsFor(request: RequestFacts): Finding[] {
  const byValues = new Map<string, QueryFact[]>();
  for (const query of request.queries) {
    if (query.valuesKey === undefined || isControlStatement(query.sql)) continue;
    byValues.set(query.valuesKey, [...(byValues.get(query.valuesKey) ?? []), query]);
  }
  // repeats of an N+1's statement that happen to share values (one author of five comments) are that
  // loop's: loading its rows at once removes them too, and the loop is the line to change
  const looped = new Set(perItemGroups(request).flat());
  return [...byValues.values()]
    .filter((group) => group.length >= settings.duplicateMin && !group.every((query) => looped.has(query)))
    .map((group) => describe(request, group));
}

/** The caller of the function that runs the statement, else the statement's site. */
function askingLine(query: QueryFact): SourceLocation | undefined {
  const at = query.statementLine ? query.chain.indexOf(query.statementLine) : -1;
  return (at > 0 ? query.chain[at - 1] : undefined) ?? query.site;
}

function describe(request: RequestFacts, group: QueryFact[]): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  // The line that asks for it again and again (the caller of the function that runs the
  // statement) is where caching or passing the value along belongs.
  const bySite = new Map<string, QueryFact[]>();
  for (const query of group) {
    const asker = askingLine(query);
    const key = asker ? lineKey(asker) : '';
    bySite.set(key, [...(bySite.get(key) ?? []), query]);
  }
  const sites = [...bySite.values()].sort((a, b) => b.length - a.length);
  const top = sites[0]?.[0];
  const location = top && askingLine(top);
  const timeMs = group.reduce((sum, q) => sum + q.durationMs, 0);
  const savesMs = Math.min(requestMs, timeMs * (1 - 1 / group.length));
  const statementLine = top?.statementLine;
  const finding: Finding = {
    endpoint,
    rule: duplicateQueries.id,
    severity: atLeast(severityFor(savesMs, requestMs), 'warning'),
    title: `${endpoint} runs the identical query ${formatCount(group.length)} times${location ? `, ${formatCount(sites[0]?.length ?? 0)} of them from ${formatPlace(location)}` : ''}: fetch it once and reuse the result`,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence: [
      { label: 'query', value: group[0]?.sql ?? '' },
      { label: 'times', value: `${formatCount(group.length)} with the same values` },
      { label: 'from', value: sites.map((s) => `${formatPlace(s[0] && askingLine(s[0]))} ×${s.length}`).join(', ') },
      ...(statementLine ? [{ label: 'issued at', value: formatPlace(statementLine) }] : []),
      { label: 'total query time', value: formatMs(timeMs) },
    ],
    suggestion:
      'Fetch it once per request (pass the value along, or memoize it on the request) instead of re-querying.',
  };
  if (location) finding.location = location;
  else if (top) finding.noAppLine = noLineReason(top);
  return finding;
}
