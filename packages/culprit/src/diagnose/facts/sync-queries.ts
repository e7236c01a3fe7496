/**
 * How much of an application function's sampled CPU is queries it ran
 * synchronously. A synchronous driver (better-sqlite3, node:sqlite) runs the
 * statement inside the JS call that issued it, so the profile charges the
 * database's work to that function's own time: it looks like hot code, yet
 * the query is what costs, and fewer rows, not a Map, is the fix. Pure.
 */
import type { ProfileFunction, SourceLocation } from '../../capture/types.js';
import type { CpuHotspot } from './cpu-facts.js';
import type { QueryFact } from './query-facts.js';
import type { RequestFacts } from './request-facts.js';
import { hotspotMsInRequest } from './request-time.js';

/** Drivers that run the statement inside the JS call that issued it; every other driver answers on a socket or thread. */
export const SYNC_DRIVERS: ReadonlySet<string> = new Set(['better-sqlite3', 'node:sqlite']);

/** From this share of its time in its own synchronous queries, a hotspot is those queries. */
export const SYNC_QUERY_SHARE = 0.5;

const pathOf = (file: string): string => file.replace(/^file:\/\//, '');

/**
 * The frame is in `fn`. A query's place comes without a name when its function has none (an arrow handler);
 * the profile names that function by where it starts, which is at or before the line that issued the query.
 */
function sameFunction(frame: SourceLocation, fn: ProfileFunction): boolean {
  if (frame.functionName) return frame.functionName === fn.name;
  return fn.name.startsWith('(anonymous') && fn.line > 0 && fn.line <= frame.line;
}

/** `query` was issued from inside `fn` (its innermost app frame is in it). */
export function issuedBy(query: QueryFact, fn: ProfileFunction): boolean {
  const innermost: SourceLocation | undefined = query.chain.at(-1);
  if (!innermost || !fn.file || !sameFunction(innermost, fn)) return false;
  const a = pathOf(innermost.file);
  const b = pathOf(fn.file);
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/** Milliseconds of the traced request that `fn`'s own queries ran synchronously (not waiting). */
export function syncQueryMs(fn: ProfileFunction, request: RequestFacts | undefined): number {
  let ms = 0;
  for (const query of request?.queries ?? []) {
    // an asynchronous driver's interval that overlapped synchronous work measured that work, not the query
    if (query.waitMs === undefined || !SYNC_DRIVERS.has(query.driver) || !issuedBy(query, fn)) continue;
    ms += Math.max(0, query.durationMs - query.waitMs);
  }
  return ms;
}

/** True when most of `hotspot`'s time in the traced request is its own synchronous queries. */
export function isSyncQueryWork(hotspot: CpuHotspot, request: RequestFacts | undefined): boolean {
  if (!request) return false;
  const ms = hotspotMsInRequest(hotspot, request.request);
  return ms > 0 && syncQueryMs(hotspot.fn, request) >= SYNC_QUERY_SHARE * ms;
}
