/**
 * Outbound operations (HTTP calls, Redis round trips) as the probe's hooks
 * see them, attributed to the request in whose async context they were
 * issued. Built-ins only; nothing here may throw into the app.
 */
import { performance } from '../clock.js';
import { noteFault } from '../faults.js';
import { currentScope, type FrameSource, queriesWanted, type RequestScope } from '../request-context.js';

/** Remote operations kept one by one per request; past it they are only counted. */
export const REMOTE_DETAIL_LIMIT = 2_000;

interface RawCallBase {
  /** `performance.now()` at issue. */
  startedAt: number;
  /** `performance.now()` at completion; unset while in flight (the record then ends it at the response's finish). */
  endedAt?: number;
  /** The issuing stack, read when the record is built. */
  frames: FrameSource;
  error?: string;
}

export interface RawHttpCall extends RawCallBase {
  kind: 'http';
  client: 'fetch' | 'http';
  method: string;
  origin: string;
  /** Path and query as sent. */
  url: string;
  /** `performance.now()` when the response headers arrived. */
  headersAt?: number;
  status?: number;
  bytes?: number;
  /**
   * node:http: the request the call was issued in, from the `http.request` wrapper until the request starts
   * (its start adds the call to it, then clears this). Kept on the call: one record on the ClientRequest.
   */
  issuedIn?: RequestScope | undefined;
}

export interface RawRedisCall extends RawCallBase {
  kind: 'redis';
  client: 'ioredis' | 'node-redis';
  command: string;
  key?: string;
  args?: string[];
  commands: number;
  batch?: string;
  replyBytes?: number;
}

export type RawRemoteCall = RawHttpCall | RawRedisCall;

/**
 * The request a remote operation issued now belongs to, or undefined (no
 * trace listens, or outside any request): hooks skip all work then.
 */
export function remoteScope(): RequestScope | undefined {
  if (!queriesWanted()) return undefined;
  const scope = currentScope();
  return scope && !scope.closed ? scope : undefined;
}

/** Keeps an operation on its request (from issue, so one still running at the finish is drawn too). */
export function addRemoteCall(scope: RequestScope, call: RawRemoteCall): void {
  try {
    if (scope.closed) return;
    if (scope.tally) {
      if (call.kind === 'http') scope.tally.httpCalls += 1;
      return;
    }
    scope.remote ??= [];
    if (scope.remote.length < REMOTE_DETAIL_LIMIT) scope.remote.push(call);
    else scope.remoteDropped = (scope.remoteDropped ?? 0) + 1;
  } catch (error) {
    noteFault('addRemoteCall', error);
  }
}

/** Marks an operation finished now. */
export function endCall(call: RawCallBase, error?: unknown): void {
  call.endedAt ??= performance.now();
  if (error !== undefined && call.error === undefined) call.error = errorText(error);
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}

/** Approximate size of a reply: strings and buffers summed through arrays and objects (bounded walk). */
export function replySize(value: unknown): number {
  // a GET's string or buffer, a counter's number: no walk, no budget object
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value === null || value === undefined) return 0;
  return walkedSize(value, { nodes: 10_000 });
}

function walkedSize(value: unknown, budget: { nodes: number }): number {
  if (budget.nodes-- <= 0) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value).length;
  if (Array.isArray(value)) {
    let total = 0;
    let walked = 0;
    for (const item of value) {
      if (budget.nodes <= 0) break;
      total += walkedSize(item, budget);
      walked++;
    }
    // past the budget, the rest of a long reply (KEYS, SMEMBERS) is taken to be like what was walked
    return walked > 0 && walked < value.length ? Math.round((total / walked) * value.length) : total;
  }
  if (value instanceof Map) {
    let total = 0;
    for (const [k, v] of value) total += walkedSize(k, budget) + walkedSize(v, budget);
    return total;
  }
  if (value && typeof value === 'object') {
    let total = 0;
    for (const [k, v] of Object.entries(value)) total += k.length + walkedSize(v, budget);
    return total;
  }
  return 0;
}
