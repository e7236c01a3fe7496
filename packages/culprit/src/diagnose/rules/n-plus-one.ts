import type { Finding, ProfileData, SourceLocation } from '../../capture/types.js';
import { type CallsPerRequest, formatChain, loopFrame } from '../blame.js';
import { clampShare, formatCount, formatMs, formatPlace, plural } from '../evidence.js';
import { functionKey, lineKey } from '../facts/app-frames.js';
import { type DefeatedLoader, defeatedLoader } from '../facts/defeated-loader.js';
import { type LazyParent, lazyParent } from '../facts/lazy-parent.js';
import { isControlStatement, type QueryFact } from '../facts/query-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { loopIterations, separateBatchedCalls } from '../facts/separate-batches.js';
import { topPerParent, topPerParentAdvice } from '../facts/top-per-parent.js';
import { loopInCaller } from '../loop-caller.js';
import { atLeast, type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';
import { noLineReason } from './excess-rows.js';

/**
 * N+1: a loop that runs queries per item. Repetition is judged against the
 * items the response carries (a query per item is N+1 at 3 items too), and
 * the repeated statements of one loop (author, tags, favorites of each
 * article) make one finding at the loop's line, not one per statement.
 * Identical repeats (same values) are the duplicate rule's.
 */
export const nPlusOne: Rule = {
  id: 'n-plus-one',
  kind: 'cause',
  describe: `one statement from one line runs >= ${settings.repeatAbsolute} times, or once per item of a list (>= ${settings.repeatPerItemMin}); grouped per loop`,
  run(facts) {
    const calls = callCounter(facts.capture.profile);
    const files = appFiles(facts.capture.profile, facts.requests);
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request, calls, facts.readSource, files));
  },
};

/** Exact calls per request by file and function name, from the profile's count pass. */
function callCounter(profile: ProfileData | undefined): CallsPerRequest {
  if (!profile || profile.countedRequests === 0) return () => undefined;
  const calls = new Map<string, number>();
  const starts = new Map<string, Array<{ line: number; calls: number }>>();
  for (const fn of profile.functions) {
    if (fn.category !== 'app' || fn.calls === null) continue;
    const perRequest = fn.calls / profile.countedRequests;
    const key = `${fn.file}#${fn.name}`;
    calls.set(key, (calls.get(key) ?? 0) + perRequest);
    starts.set(fn.file, [...(starts.get(fn.file) ?? []), { line: fn.line, calls: perRequest }]);
  }
  for (const list of starts.values()) list.sort((a, b) => b.line - a.line);
  return (frame) => {
    const named = frame.functionName ? calls.get(`${frame.file}#${frame.functionName}`) : undefined;
    if (named !== undefined) return named;
    // an anonymous callback (`rows.map((o) => …)`): the counted function starting nearest above the frame
    return starts.get(frame.file)?.find((start) => start.line <= frame.line)?.calls;
  };
}

/** The application's files the profile and the queries name: where a loader made per call is looked for. */
function appFiles(profile: ProfileData | undefined, requests: readonly RequestFacts[]): string[] {
  const files = new Set<string>();
  for (const fn of profile?.functions ?? []) if (fn.category === 'app' && fn.file) files.add(fn.file);
  for (const request of requests)
    for (const query of request.queries) for (const frame of query.chain) files.add(frame.file);
  return [...files].map((file) => file.replace(/^file:\/\//, ''));
}

/** Queries grouped by statement and the line a fix belongs to. */
export function repeatedGroups(request: RequestFacts): QueryFact[][] {
  const groups = new Map<string, QueryFact[]>();
  for (const query of request.queries) {
    if (isControlStatement(query.sql)) continue;
    const key = `${query.sql}\u0000${query.site ? lineKey(query.site) : query.libraryCall ? lineKey(query.libraryCall) : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), query]);
  }
  // calls of a shared helper from elsewhere ride along with a loop's statement: only the loop's repeats count
  return [...groups.values()].map((group) => [...loopIterations(group)]);
}

const countOf = (group: readonly QueryFact[]): number => group.reduce((sum, q) => sum + q.count, 0);

/** Every repeat carries the same values: the same answer fetched again, not one per item. */
export function identical(group: readonly QueryFact[]): boolean {
  const key = group[0]?.valuesKey;
  return key !== undefined && group.every((q) => q.valuesKey === key && q.count === 1);
}

function isPerItem(count: number, items: number): boolean {
  if (count >= settings.repeatAbsolute) return true;
  return items >= 2 && count >= settings.repeatPerItemMin && count >= items;
}

/** The groups of repeats this rule reports: one statement from one line, with other values, per item. */
export function perItemGroups(request: RequestFacts): QueryFact[][] {
  return repeatedGroups(request).filter(
    (group) => !identical(group) && !separateBatchedCalls(group) && isPerItem(countOf(group), request.items),
  );
}

function findingsFor(
  request: RequestFacts,
  calls: CallsPerRequest,
  readSource: ReadSource | undefined,
  files: readonly string[],
): Finding[] {
  const repeated = perItemGroups(request);
  if (repeated.length === 0) return [];
  // Statements repeated about equally often come from one loop; far apart counts are separate loops.
  const loops: QueryFact[][][] = [];
  for (const group of repeated.sort((a, b) => countOf(b) - countOf(a))) {
    const loop = loops.find((l) => {
      const lead = countOf(l[0] as QueryFact[]);
      return countOf(group) * 2 >= lead && sameHandler(l[0] as QueryFact[], group);
    });
    if (loop) loop.push(group);
    else loops.push([group]);
  }
  return loops.map((loop) => describe(request, loop, calls, readSource, files));
}

function sameHandler(a: readonly QueryFact[], b: readonly QueryFact[]): boolean {
  const first = a[0]?.chain[0];
  const second = b[0]?.chain[0];
  return (
    first === undefined || second === undefined || lineKey(first) === lineKey(second) || first.file === second.file
  );
}

/** Where the loop is: loopFrame's answer, or the caller of a per-item helper when the source shows the loop there. */
function placeOf(loop: QueryFact[][], calls: CallsPerRequest, readSource?: ReadSource): ReturnType<typeof loopFrame> {
  const found = loopFrame(loop, calls);
  if (!found.inside || !found.location || !readSource) return found;
  const caller = loopInCaller(found.location, loop.flat(), readSource);
  return caller ? { location: caller, inside: true } : found;
}

function describe(
  request: RequestFacts,
  loop: QueryFact[][],
  calls: CallsPerRequest,
  readSource: ReadSource | undefined,
  files: readonly string[],
): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  const queries = loop.reduce((sum, group) => sum + countOf(group), 0);
  const timeMs = loop.flat().reduce((sum, q) => sum + q.durationMs, 0);
  const lead = loop[0] as QueryFact[];
  const perItem = request.items >= 2 ? Math.round(queries / request.items) : 0;
  const placed = placeOf(loop, calls, readSource);
  const statementAt = lead[0]?.site;
  const loader =
    readSource && statementAt ? defeatedLoader(statementAt, countOf(lead), files, readSource, calls) : undefined;
  // getters of each item's associations are fixed where the items are loaded: eager loading there
  const lazy = loader ? undefined : lazyParent(loop, request.queries, placed.location, readSource);
  const { location, inside, calledPerItemBy } = loader
    ? loaderPlace(loader)
    : lazy
      ? { location: lazy.loadedAt, inside: false }
      : placed;
  const statements = loop.length;
  // One query per statement would remain after batching; the round trips go.
  const savesMs = Math.min(requestMs, timeMs * (1 - statements / Math.max(queries, 1)));
  const what =
    statements > 1
      ? `runs ${plural(statements, 'statement')} per ${perItem >= 1 ? 'item' : 'iteration'} in a loop`
      : `runs the same query ${formatCount(queries)} times`;
  const share = `${formatCount(queries)} of ${formatCount(request.queryCount)} queries`;
  const from = loader
    ? ` through a DataLoader that never batches: ${loaderWords(loader)}`
    : lazy
      ? lazyWords(lazy, location)
      : calledPerItemBy
        ? ` from ${formatPlace(location)}, which ${calledPerItemBy} calls once per item`
        : `${inside ? ' in the loop at' : ' from'} ${formatPlace(location)}`;
  const title = location
    ? `${endpoint} ${what} (N+1)${from}: ${share}${request.items >= 2 ? ` for ${plural(request.items, 'item')}` : ''}`
    : `${endpoint} ${what} (N+1): ${share}`;
  const evidence = loop.slice(0, 6).map((group) => ({
    label: `${formatCount(countOf(group))}×`,
    value: group[0]?.sql ?? '',
  }));
  evidence.push({ label: 'time in these queries', value: formatMs(timeMs) });
  evidence.push({
    label: 'items returned',
    value: `${formatCount(request.items)}${request.itemsPath ? ` (in "${request.itemsPath}")` : ''}`,
  });
  const chain = lead[0]?.chain ?? [];
  if (chain.length > 1) evidence.push({ label: 'called through', value: formatChain(chain) });
  const topN = loop.length === 1 ? topPerParent(loop[0]?.[0]?.sql ?? '') : undefined;
  const finding: Finding = {
    endpoint,
    rule: nPlusOne.id,
    severity: atLeast(severityFor(savesMs, requestMs), 'warning'),
    title,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence,
    suggestion: lazy
      ? `Eager-load the associations in the statement that loads the items, at ${formatPlace(location)} (Sequelize include, TypeORM relations, Objection withGraphFetched, MikroORM populate), and read them from each item instead of calling its getters.`
      : loader
        ? 'Make each loader once per request (in the request or GraphQL context) and load from that one in every resolver: a loader made per call batches one key and caches nothing.'
        : calledPerItemBy
          ? `Batch what ${calledPerItemBy} asks per item: load the related rows for all items at once (a DataLoader, or a join or IN list in the parent's query).`
          : topN
            ? topPerParentAdvice(topN)
            : "Load the related rows for all items at once (a join, an IN list, or the ORM's eager loading) before the loop.",
  };
  if (location) finding.location = location;
  else finding.noAppLine = noLineReason(lead[0] as QueryFact);
  if (inside) finding.callee = 'loop';
  const at = location ? chain.findIndex((frame) => functionKey(frame) === functionKey(location)) : -1;
  if (at >= 0) perItemPaths.set(finding, chain.slice(at));
  return finding;
}

function lazyWords(lazy: LazyParent, loadedAt: SourceLocation | undefined): string {
  const more = lazy.getters.slice(1).map((at) => at.line);
  const others = more.length === 0 ? '' : ` and line${more.length > 1 ? 's' : ''} ${more.join(', ')}`;
  return ` through lazy association getters at ${formatPlace(lazy.getters[0])}${others}, on the rows loaded at ${formatPlace(loadedAt)}`;
}

/** The line to change for a loader made per call: the call that makes one and loads from it, else where it is made. */
function loaderPlace(loader: DefeatedLoader): ReturnType<typeof loopFrame> {
  return { location: loader.perCallAt ?? loader.madeAt, inside: false };
}

function loaderWords(loader: DefeatedLoader): string {
  const made = `${loader.maker ? `${loader.maker}() ` : ''}at ${formatPlace(loader.madeAt)}`;
  return loader.perCallAt
    ? `a new loader is made for each load at ${formatPlace(loader.perCallAt)} (${made}), so each load runs its own query`
    : `the loader made ${made} is made again for each load, so each load runs its own query`;
}

/** Per N+1 finding: the functions its repeated queries run through from the loop down (the loop's, its helpers'). */
const perItemPaths = new WeakMap<Finding, SourceLocation[]>();

/** The loop's function and the per-item helpers below it, of an N+1 finding: their library CPU is the loop's work. */
export function perItemPathOf(finding: Finding): readonly SourceLocation[] {
  return perItemPaths.get(finding) ?? [];
}
