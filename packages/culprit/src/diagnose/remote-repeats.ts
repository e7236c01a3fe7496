/**
 * N+1 over HTTP or Redis: one call (or round trip) per item of a list, from
 * one line. Judged like SQL's N+1 (settings.repeatAbsolute, one per item at
 * settings.repeatPerItemMin), placed by the same loop logic (blame.ts), and
 * only when the repeats carry different values: the same call made again is
 * a retry or a duplicate, not one per item. Pure.
 */
import type { Finding, SourceLocation } from '../capture/types.js';
import { loopFrame } from './blame.js';
import { clampShare, formatCount, formatMs, formatPlace, plural } from './evidence.js';
import { lineKey } from './facts/app-frames.js';
import { enclosingLoop } from './facts/data-flow.js';
import type { OperationFact, OperationKind } from './facts/operation-facts.js';
import { answered, type RequestFacts } from './facts/request-facts.js';
import { requestTimeMs } from './facts/request-time.js';
import { atLeast, severityFor } from './rule.js';
import { settings } from './settings.js';
import type { ReadSource } from './snippets.js';

const NOUN: Record<OperationKind, string> = { sql: 'query', http: 'HTTP call', redis: 'Redis round trip' };
const FIX: Record<OperationKind, string> = {
  sql: '',
  http: 'Fetch the items in one call (a batch or list endpoint with all the ids), or run the calls together with Promise.all and a concurrency limit.',
  redis:
    'Read the keys in one round trip: MGET / HMGET, or a pipeline (ioredis .pipeline(), node-redis .multi().execAsPipeline()).',
};

/**
 * A cursor walk: SCAN (or SSCAN, HSCAN, ZSCAN) sent again with each cursor reads the whole keyspace (or key)
 * COUNT entries at a time to find what MATCH keeps, however few: KEYS spread over round trips. Batching the
 * round trips keeps the walk; the fix is to stop walking.
 */
const CURSOR_WALK = /^[SHZ]?SCAN$/;
const WALK_FIX =
  'Stop walking the keyspace on the request: keep the keys this request looks up together in a set or a sorted set of their own (SADD / ZADD when a key is written, SREM / ZREM when it goes) and read that one key (SMEMBERS, ZREVRANGE with a limit), then MGET the values in one round trip. SCAN belongs off the request path (a migration, a cleanup job).';

function cursorWalk(loop: readonly PlacedGroup[]): boolean {
  return loop.every((one) => CURSOR_WALK.test((one.group[0] as OperationFact).command ?? ''));
}

function groups(ops: readonly OperationFact[]): OperationFact[][] {
  const byShape = new Map<string, OperationFact[]>();
  for (const op of ops) {
    const key = `${op.kind === 'http' ? httpRoute(op) : op.sql}\u0000${op.site ? lineKey(op.site) : ''}`;
    byShape.set(key, [...(byShape.get(key) ?? []), op]);
  }
  return [...byShape.values()].map(foldedPaths);
}

/** An HTTP call's method, origin and the number of its path's segments: what the calls of one line share. */
function httpRoute(op: OperationFact): string {
  return `${op.method ?? ''} ${op.origin ?? ''} ${pathSegments(op).length}`;
}

function pathSegments(op: OperationFact): string[] {
  const path =
    op.origin && op.sql.includes(op.origin) ? op.sql.slice(op.sql.indexOf(op.origin) + op.origin.length) : op.sql;
  return (path.split('?')[0] ?? '').split('/');
}

/**
 * The calls of one line with the segments that differ between them folded (`/carriers/:param/v2/rates`):
 * a carrier's code or a slug in the path is a value of the call as much as an id the probe's template
 * folds, so calls that differ only there are one endpoint called per item.
 */
function foldedPaths(group: OperationFact[]): OperationFact[] {
  const [first] = group;
  if (first?.kind !== 'http' || group.every((op) => op.sql === first.sql)) return group;
  const split = group.map(pathSegments);
  const template = (split[0] ?? []).map((segment, i) => (split.every((s) => s[i] === segment) ? segment : ':param'));
  const label = `${first.method ?? ''} ${first.origin ?? ''}${template.join('/')}`.trim();
  return group.map((op) => ({ ...op, label }));
}

function perItem(count: number, items: number): boolean {
  if (count >= settings.repeatAbsolute) return true;
  return items >= 2 && count >= settings.repeatPerItemMin && count >= items;
}

/** Methods whose requests carry a body, where the values of the call live and the probe does not look. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Values differ between the repeats (or are unknown): one per item, not the same call again. The same
 * URL sent with a body each time (`POST /rates` per shipment) differs in the body, unseen: those repeats
 * are one per item when they succeeded, since a retry follows a failure (http-retries.ts).
 */
function varied(group: readonly OperationFact[]): boolean {
  if (new Set(group.map((op, i) => op.valuesKey ?? `#${i}`)).size > 1) return true;
  return group.every(
    (op) => op.method !== undefined && BODY_METHODS.has(op.method) && op.status !== undefined && op.status < 400,
  );
}

/** The N+1 findings of one kind of remote operation over every answered endpoint. */
export function remoteRepeats(
  requests: readonly RequestFacts[],
  kind: 'http' | 'redis',
  rule: string,
  readSource?: ReadSource,
): Finding[] {
  return requests.filter(answered).flatMap((request) => {
    const ops = request.remote.filter((op) => op.kind === kind && op.commands !== 0);
    // a Redis read repeated with the same key in a loop is no retry (a failure is what a retry follows): the
    // loop reads one key per item, which for every item happens to be the same one
    const repeated = groups(ops)
      .filter((group) => perItem(group.length, request.items) && (kind === 'redis' || varied(group)))
      // a cursor walk repeats from where the walk was made, not from a loop of the app's around it
      .map((group) => placed(group, CURSOR_WALK.test(group[0]?.command ?? '') ? undefined : readSource));
    return byLoop(repeated).map((loop) => describe(request, loop, kind, rule, ops.length));
  });
}

/** One line's repeats, placed: the call, and the loop around it when the sources show one. */
interface PlacedGroup {
  group: OperationFact[];
  location?: SourceLocation;
  inside: boolean;
  /** The loop's header line, in `location`'s file. */
  header?: number;
}

function placed(group: OperationFact[], readSource: ReadSource | undefined): PlacedGroup {
  const looped = loopFrame([group]);
  const loop = looped.location && callInLoop(group[0] as OperationFact, looped.location, readSource);
  if (loop) return { group, location: loop.call, inside: false, header: loop.header };
  return looped.location ? { group, location: looped.location, inside: looped.inside } : { group, inside: false };
}

/**
 * The repeats of one loop together (an EXISTS, then an HGETALL, for each item): one loop to batch, whose cost
 * is all of its round trips. Lines in no loop the sources show stay one finding each.
 */
function byLoop(placedGroups: readonly PlacedGroup[]): PlacedGroup[][] {
  const loops = new Map<string, PlacedGroup[]>();
  const alone: PlacedGroup[][] = [];
  for (const one of placedGroups) {
    if (one.header === undefined || !one.location) alone.push([one]);
    else {
      const key = `${one.location.file}:${one.header}`;
      loops.set(key, [...(loops.get(key) ?? []), one]);
    }
  }
  const together = [...loops.values()].map((loop) =>
    [...loop].sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0)),
  );
  return [...together, ...alone];
}

/**
 * The line inside a loop that makes the calls, and the loop's header, read
 * from the sources: the located line when a loop encloses it, or, when it is
 * in none (a helper that awaits before it issues, `(await connection()).get(key)`,
 * is the function resumed for each call, so the chains make it look like the
 * loop), the nearest caller's line that one encloses. The line named is the
 * call, as for SQL's N+1: the loop's body may run many lines.
 */
function callInLoop(
  lead: OperationFact,
  located: SourceLocation,
  readSource: ReadSource | undefined,
): { call: SourceLocation; header: number } | undefined {
  if (!readSource) return undefined;
  const depth = lead.chain.findIndex((frame) => lineKey(frame) === lineKey(located));
  const frames = [located, ...(depth < 0 ? [] : lead.chain.slice(0, depth).reverse())];
  for (const frame of frames) {
    const lines = readSource(frame.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
    if (!lines) return undefined;
    const loop = enclosingLoop(lines, frame.line);
    if (loop) return { call: frame, header: loop.header };
  }
  return undefined;
}

function describe(
  request: RequestFacts,
  loop: readonly PlacedGroup[],
  kind: 'http' | 'redis',
  rule: string,
  total: number,
): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  const ops = loop.flatMap((one) => one.group);
  const timeMs = ops.reduce((sum, op) => sum + op.durationMs, 0);
  // past the probe's limit, operations are counted, not kept: those are taken to be like the ones kept
  const dropped = request.request.droppedOperations ?? 0;
  const scale = dropped > 0 ? (request.remote.length + dropped) / Math.max(request.remote.length, 1) : 1;
  // one batched call per line remains, each about as long as the longest of its repeats
  const batched = loop.reduce((sum, one) => sum + Math.max(...one.group.map((op) => op.durationMs)), 0);
  const savesMs = Math.min(requestMs, Math.max(0, timeMs * scale - batched));
  const [first] = loop;
  const { location, inside, header } = first ?? { inside: false };
  const noun = NOUN[kind];
  const share = `${formatCount(ops.length)} of ${plural(total, noun)}${dropped > 0 ? ` kept one by one (${formatCount(dropped)} more were only counted)` : ''}`;
  const items = request.items >= 2 ? ` for ${plural(request.items, 'item')}` : '';
  const perItem = loop.length > 1 ? `${loop.length} ${noun}s per item` : `one ${noun} per item`;
  const lines = loop.length > 1 ? `, at lines ${loop.map((one) => one.location?.line).join(' and ')}` : '';
  const walk = kind === 'redis' && cursorWalk(loop);
  const title = walk
    ? `${endpoint} walks the Redis keyspace with ${formatCount(ops.length)} ${ops[0]?.command ?? 'SCAN'} round trips${location ? ` from ${formatPlace(location)}` : ''} to find the keys it reads: each call reads COUNT more keys and keeps those MATCH names, so the walk grows with every key in Redis, not with the answer (${share})`
    : location
      ? `${endpoint} makes ${perItem} (N+1)${inside ? ' in the loop at' : ' from'} ${formatPlace(location)}${header !== undefined ? ` in the loop at line ${header}${lines}` : ''}: ${share}${items}`
      : `${endpoint} makes ${perItem} (N+1): ${share}${items}`;
  const finding: Finding = {
    endpoint,
    rule,
    severity: atLeast(severityFor(savesMs, requestMs), 'warning'),
    title,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence: [
      ...loop.map((one) => ({
        label: `${formatCount(one.group.length)}×`,
        value: `${(one.group[0] as OperationFact).label}${loop.length > 1 && one.location ? ` (line ${one.location.line})` : ''}${varied(one.group) ? '' : ', the same key every time'}`,
      })),
      {
        label: 'time in these calls',
        value: `${formatMs(timeMs)}${dropped > 0 ? `, about ${formatMs(timeMs * scale)} with the ones only counted` : ''}`,
      },
      {
        label: 'items returned',
        value: `${formatCount(request.items)}${request.itemsPath ? ` (in "${request.itemsPath}")` : ''}`,
      },
    ],
    suggestion: walk
      ? WALK_FIX
      : loop.some((one) => !varied(one.group))
        ? `${FIX[kind]} A key read again for each item is read once.`
        : FIX[kind],
  };
  if (location) finding.location = location;
  else finding.noAppLine = `the ${noun}s carry no application frame (issued from a dependency's code)`;
  if (inside) finding.callee = 'loop';
  return finding;
}
