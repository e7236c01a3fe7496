/**
 * What a request did besides SQL, on its time axis: client socket use, blocking stretches, outbound HTTP
 * calls and Redis round trips (apart from types.ts, which re-exports them, to keep each file to one concept).
 */
import type { SourceLocation } from './types.js';

/** One remote a request wrote to over client sockets (every library's, hooked or not). */
export interface NetworkUse {
  /** `host:port` of the peer (`[::1]:5432`), the host dialled if it never connected, or `unix socket`. */
  remote: string;
  /** `http` for the sockets of node:http client requests (recorded in `http` too); else the transport. */
  kind: 'tcp' | 'tls' | 'unix' | 'http';
  /** `socket.write` calls and the bytes they carried. */
  writes: number;
  bytes: number;
  /** Connections opened during the request (0: a pooled connection was reused). */
  connects: number;
}

/** A synchronous stretch (the event loop blocked) on the request's time axis. */
export interface BlockingStretch {
  /** Milliseconds from the request's start. */
  startMs: number;
  durationMs: number;
}

/** What every operation on a request's time axis carries. */
export interface TimedOperation {
  /** Milliseconds from the request's start to the issue of the operation. */
  startMs: number;
  /** Issue to completion (the last body byte for HTTP, the reply for Redis), milliseconds. */
  durationMs: number;
  /** First application frame that issued it (outside node_modules and culprit). */
  location?: SourceLocation;
  /** Full stack, innermost first, when asked for (`--stacks`). */
  stack?: SourceLocation[];
  /**
   * Equal for two operations of one capture whose full target and values were
   * equal (a salted hash, never the values): tells retries and duplicates from N+1.
   */
  valuesKey?: string;
  error?: string;
}

/** One outbound HTTP request, from Node's diagnostics channels. */
export interface HttpCallRecord extends TimedOperation {
  /** `fetch` (undici, Node's global fetch) or `http` (node:http/https and axios, got, … built on them). */
  client: 'fetch' | 'http';
  method: string;
  /** Origin as dialled: `http://127.0.0.1:4000`. */
  origin: string;
  /** Path with ids folded to `:id` and no query: `/users/:id/orders`. Calls of one endpoint share it. */
  path: string;
  /** Path and query as sent; query values are `?` unless `--keep-params`. */
  url: string;
  /** Response status; absent when the call failed before a response. */
  status?: number;
  /** Response body bytes from Content-Length; absent when the server did not say. */
  bytes?: number;
}

/** One Redis round trip: a command, or a pipeline / MULTI sent as one. */
export interface RedisCallRecord extends TimedOperation {
  client: 'ioredis' | 'node-redis';
  /** Command name in capitals (`GET`, `HGETALL`), or `PIPELINE` / `MULTI` for a batch. */
  command: string;
  /** The first key folded to a shape (`user:?:profile`), absent for commands without one. */
  key?: string;
  /** Commands in this round trip: 1, or the batch's count. */
  commands: number;
  /** For a batch: its commands by name and count (`GET ×3, HGETALL ×1`). */
  batch?: string;
  /** Approximate reply size in bytes (strings and buffers summed); absent when unknown. */
  replyBytes?: number;
}
