/**
 * The recording half of following requests into worker threads, loaded with
 * the recorder: which request a posted message belongs to, and the queries
 * worker probes send back (in a reply's envelope or over the side channel)
 * joined to that request. main-side.ts's wrappers call it once it is set.
 */
import { noteFault } from '../faults.js';
import type { RawQueryEvent } from '../queries/types.js';
import { currentScope, queriesWanted, type RequestScope, recordQuery } from '../request-context.js';
import { WORKER_CHANNEL, type WorkerQuery } from './envelope.js';
import { setWorkerRecording } from './main-side.js';

/** Requests that sent work to a worker, by id, until they finish. */
const scopes = new Map<number, RequestScope>();
let started = false;
let channelOpen = false;

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
  openSideChannel();
  for (const [id, known] of scopes) if (known.closed) scopes.delete(id);
  scopes.set(scope.requestId, scope);
  return scope.requestId;
}

/**
 * The side channel opens as the first request id goes to a worker: a worker's queries name the request
 * they belong to, so none can arrive for a request before then. Opening it with the recorder loaded
 * node:worker_threads into every probed server on Node 22+, where nothing else needs it until the app does.
 */
function openSideChannel(): void {
  if (channelOpen) return;
  channelOpen = true;
  const channel = new (process.getBuiltinModule('node:worker_threads').BroadcastChannel)(WORKER_CHANNEL);
  (channel as unknown as { unref?: () => void }).unref?.();
  channel.onmessage = onSideChannel;
}

/** Lends the Worker wrappers the request context (once); the side channel opens with the first request sent to a worker. */
export function startWorkerRecording(): void {
  if (started) return;
  started = true;
  setWorkerRecording({ requestToSend, receive: recordWorkerQueries });
}
