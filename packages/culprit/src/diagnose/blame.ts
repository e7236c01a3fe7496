/**
 * Which application line to blame for queries that should not have run, or
 * that ran once per item. Pure: reads only the call chains of query facts.
 */
import type { SourceLocation } from '../capture/types.js';
import { functionKey, lineKey } from './facts/app-frames.js';
import type { QueryFact } from './facts/query-facts.js';

/**
 * Statements that set up a connection or a transaction (a pool's `PRAGMA journal_mode = WAL` on a new
 * connection, an ORM's `show variables`), not reads of the app's logic: whether one falls in the request
 * depends on the pool, so its path says nothing about where the suspect's parts from the handler's.
 */
const SESSION_STATEMENT = /^\s*(?:pragma|set|show|begin|commit|rollback|start\s+transaction|savepoint|release)\b/i;

/**
 * The line to blame for a query that should not have run: where its call
 * path leaves the path every other query of the request took. In the story,
 * the table load and the normal fetch both start in the view's retrieve();
 * the table load then goes through get_serializer(), and that frame (the
 * leftover truthiness test) is the answer, not the ORM wrapper that finally
 * ran the SQL. Frames compare by file and function, since one function calls
 * from different lines. When no other query shares even its outermost frame
 * (a middleware's query beside the handler's), the app's first frame on its
 * path: where the framework's call into it parts from theirs. When there is
 * no other query, or its whole path is shared (every query goes through one
 * helper), the query's own site.
 */
export function divergingFrame(suspect: QueryFact, others: readonly QueryFact[]): SourceLocation | undefined {
  const chain = suspect.chain;
  let shared = 0;
  let compared = 0;
  for (const other of others) {
    if (other === suspect || other.chain.length === 0 || SESSION_STATEMENT.test(other.sql)) continue;
    compared++;
    let common = 0;
    while (
      common < chain.length &&
      common < other.chain.length &&
      functionKey(chain[common] as SourceLocation) === functionKey(other.chain[common] as SourceLocation)
    ) {
      common++;
    }
    shared = Math.max(shared, common);
  }
  if (shared >= chain.length || compared === 0) return suspect.site;
  // no frame shared: the framework called the suspect's path apart from the others' (a middleware or hook
  // loading a table for every request), and the app's first frame on it is where it parts
  if (shared === 0) return chain.length > 1 ? chain[0] : suspect.site;
  return chain[shared];
}

/**
 * Where a loop that runs queries per item lives. A loop that awaits each
 * item resumes its function from the microtask queue: that function is the
 * outermost synchronous frame of the repeated queries' stacks (the callers
 * above it are async frames). Without async frames (a synchronous driver),
 * the loop is where the repeated queries' paths part: the deepest function
 * they share, at the first of its lines that issue them; a single repeated
 * statement is blamed at its site.
 */
export function loopFrame(
  groups: ReadonlyArray<readonly QueryFact[]>,
  callsPerRequest: CallsPerRequest = () => undefined,
): { location?: SourceLocation; inside: boolean; calledPerItemBy?: string } {
  const counted = countedLoop(groups, callsPerRequest);
  if (counted) return counted;
  const all = groups.flat();
  const resumed = new Map<string, SourceLocation[]>();
  let withBoundary = 0;
  for (const fact of all) {
    const frame = resumedFrame(fact);
    if (!frame) continue;
    withBoundary++;
    resumed.set(functionKey(frame), [...(resumed.get(functionKey(frame)) ?? []), frame]);
  }
  if (withBoundary * 2 > all.length) {
    const [, frames] = [...resumed].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    const first = frames && lowest(frames);
    // one line issuing every repeat is the call to change; several lines of one loop body, the loop
    if (first) return { location: first, inside: !frames.every((frame) => lineKey(frame) === lineKey(first)) };
  }
  const heads = groups.map((group) => group[0]).filter((fact): fact is QueryFact => fact !== undefined);
  if (heads.length === 1) {
    const lead = heads[0] as QueryFact;
    const entry = libraryLoopEntry(lead, groups[0] ?? [], callsPerRequest);
    if (entry) return { location: entry.frame, inside: false, calledPerItemBy: entry.by };
    return { ...(lead.site ? { location: lead.site } : {}), inside: false };
  }
  const chains = heads.map((fact) => fact.chain);
  let depth = 0;
  while (chains.every((chain) => chain[depth] && functionKey(chain[depth]!) === functionKey(chains[0]![depth]!)))
    depth++;
  if (depth === 0) return { ...(heads[0]?.site ? { location: heads[0].site } : {}), inside: false };
  const frames = chains.map((chain) => chain[depth - 1] as SourceLocation);
  const sameLine = frames.every((frame) => lineKey(frame) === lineKey(frames[0]!));
  return { location: lowest(frames), inside: !sameLine };
}

/**
 * No loop in the app's code, and the app's outermost frame on the repeated
 * query's path is called by a library about as often as the query runs:
 * the library iterates (GraphQL's executor resolving a field per item of a
 * list, an ORM running a hook per row). The app's code it calls is what the
 * user can change (a DataLoader, a batched field), not the query's helper.
 */
function libraryLoopEntry(
  lead: QueryFact,
  group: readonly QueryFact[],
  callsPerRequest: CallsPerRequest,
): { frame: SourceLocation; by: string } | undefined {
  const outermost = lead.chain[0];
  const by = lead.libraryCaller?.package;
  if (!outermost || !by || lead.chain.length < 2) return undefined;
  if (lead.site && functionKey(lead.site) === functionKey(outermost)) return undefined;
  const repeats = group.reduce((sum, q) => sum + q.count, 0);
  const calls = callsPerRequest(outermost);
  // an async function counts each resumption too: more calls than queries still means once per item
  if (calls === undefined || calls * 2 < repeats) return undefined;
  return { frame: outermost, by };
}

/** Exact calls per request of the function a frame is in, when the count pass saw it. */
export type CallsPerRequest = (frame: SourceLocation) => number | undefined;

/**
 * With exact call counts the loop is certain: it lives in the innermost
 * function on the repeated queries' path that ran fewer times than they did
 * (the per-item work runs N times, the function looping over the items once),
 * at the line where it calls into that work. Only on synchronous paths: V8
 * counts every resumption of an async function after an await as a call.
 */
function countedLoop(
  groups: ReadonlyArray<readonly QueryFact[]>,
  callsPerRequest: CallsPerRequest,
): { location: SourceLocation; inside: boolean } | undefined {
  const frames: SourceLocation[] = [];
  for (const group of groups) {
    const repeats = group.reduce((sum, q) => sum + q.count, 0);
    const chain = group[0]?.chain ?? [];
    // V8 counts each resumption of an async function as a call: counts only hold on synchronous paths.
    // The first item's query has no async frame even in an awaiting loop (nothing was awaited yet): ask every query.
    if (group.some((query) => query.chain.some((frame) => frame.async))) continue;
    for (let i = chain.length - 1; i >= 0; i--) {
      const frame = chain[i] as SourceLocation;
      const calls = callsPerRequest(frame);
      // a frame without a count could be the loop: going past it would blame a caller
      if (calls === undefined) break;
      if (calls * 2 <= repeats) {
        frames.push(frame);
        break;
      }
    }
  }
  if (frames.length === 0) return undefined;
  const byFunction = new Map<string, SourceLocation[]>();
  for (const frame of frames)
    byFunction.set(functionKey(frame), [...(byFunction.get(functionKey(frame)) ?? []), frame]);
  const [, chosen] = [...byFunction].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  const first = chosen && lowest(chosen);
  if (!chosen || !first) return undefined;
  return { location: first, inside: !chosen.every((frame) => lineKey(frame) === lineKey(first)) };
}

/**
 * The innermost app frame before the async callers: the function resumed
 * after an await. Without async app callers, the stack's own bottom tells
 * (the microtask queue, or a framework's frame awaiting the handler).
 */
function resumedFrame(fact: QueryFact): SourceLocation | undefined {
  const firstSync = fact.chain.findIndex((frame) => !frame.async);
  if (firstSync > 0) return fact.chain[firstSync];
  return fact.resumedAt;
}

function lowest(frames: readonly SourceLocation[]): SourceLocation | undefined {
  return [...frames].sort((a, b) => a.line - b.line)[0];
}

/** `retrieve (viewset.ts:80) → getSerializer (incident.ts:14)` for evidence lines. */
export function formatChain(chain: readonly SourceLocation[]): string {
  return chain
    .map((frame) => `${frame.functionName || '(anonymous)'} (${baseName(frame.file)}:${frame.line})`)
    .join(' → ');
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
