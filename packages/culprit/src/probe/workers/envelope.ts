/**
 * How a request follows a message into a worker thread. The main thread's
 * probe wraps a message posted to a probed worker while a request is being
 * recorded in an envelope carrying the request's id; the worker's probe opens
 * it before the app's listener sees it and runs that listener in the
 * request's scope, so the worker's queries are the request's. Queries ride
 * back in an envelope around the worker's next message (so they arrive
 * before the reply the request waits for), or over a BroadcastChannel the
 * app never sees when the worker posts nothing soon.
 */

/** Key of the envelope's request id (a string: symbols do not survive structured cloning). */
export const ENVELOPE_KEY = '__culpritRequestId';

/** Queries a worker had no message to ride on go here. */
export const WORKER_CHANNEL = 'culprit:workers';

export interface Envelope {
  [ENVELOPE_KEY]: number;
  data: unknown;
}

export function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[ENVELOPE_KEY] === 'number' &&
    'data' in value
  );
}

/** A query a worker ran for a request, as it crosses to the main thread. */
export interface WorkerQuery {
  requestId: number;
  event: Record<string, unknown>;
}

/** Key of the queries a worker's message carries back (ahead of the reply they led to). */
export const QUERIES_KEY = '__culpritQueries';

export interface QueriesEnvelope {
  [QUERIES_KEY]: WorkerQuery[];
  data: unknown;
}

export function isQueriesEnvelope(value: unknown): value is QueriesEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Record<string, unknown>)[QUERIES_KEY]) &&
    'data' in value
  );
}
