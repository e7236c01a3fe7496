/**
 * The recording half of following requests into worker threads, loaded with
 * the recorder: which request a posted message belongs to, and the queries
 * worker probes send back (in a reply's envelope or over the side channel)
 * joined to that request. main-side.ts's wrappers call it once it is set.
 */
import { BroadcastChannel } from 'node:worker_threads';
import { noteFault } from '../faults.js';
import type { RawQueryEvent } from '../queries/types.js';
import { currentScope, queriesWanted, type RequestScope, recordQuery } from '../request-context.js';
import { WORKER_CHANNEL, type WorkerQuery } from './envelope.js';
import { setWorkerRecording } from './main-side.js';

/** Requests that sent work to a worker, by id, until they finish. */
const scopes = new Map<number, RequestScope>();
let started = false;

function recordWorkerQueries(queries: WorkerQuery[]): void {
  for (const { requestId, event } of queries) {
    const scope = scopes.get(requestId);
    if (scope && !scope.closed) recordQuery({ ...(event as unknown as RawQueryEvent), scope });
  }
}

function onSideChannel(message: unknown): void {
  try {
    const queries = (message as { data: unknown }).data;
    if (Array.isArray(queries)) recordWorkerQueries(queries as WorkerQuery[]);
  } catch (error) {
    noteFault('worker message', error);
  }
}

/** The current recorded request, remembered for the worker queries to come; finished ones are forgotten. */
function requestToSend(): number | undefined {
  const scope = queriesWanted() ? currentScope() : undefined;
  if (!scope) return undefined;
  for (const [id, known] of scopes) if (known.closed) scopes.delete(id);
  scopes.set(scope.requestId, scope);
  return scope.requestId;
}

/** Lends the Worker wrappers the request context and opens the side channel (once). */
export function startWorkerRecording(): void {
  if (started) return;
  started = true;
  setWorkerRecording({ requestToSend, receive: recordWorkerQueries });
  const channel = new BroadcastChannel(WORKER_CHANNEL);
  (channel as unknown as { unref?: () => void }).unref?.();
  channel.onmessage = onSideChannel;
}
