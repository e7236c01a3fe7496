/**
 * A server that listens before its start-up has ended: it opens its port, then
 * loads what its handlers need (authentication strategies, a schema, plugins),
 * and answers 5xx until then. culprit sends its first request as soon as the
 * port opens, so such a first pass fails on the app's start-up, not on the
 * request. When every request of the first pass answered >= 500 and culprit may
 * send it again, it waits and sends the pass again, for a few seconds at most, longer for a 503 (command mode:
 * a server culprit started; module mode imports the app before it is reached).
 */
import type { RequestRecord } from '../capture/types.js';

/**
 * The pauses before each new send: start-up work (a strategy, a provider) takes a second or a few, and a
 * request that fails for its own reason is sent four more times at most (7.5 s), not for as long as a
 * server could take to start.
 */
export const START_UP_RETRY_MS: readonly number[] = [500, 1_000, 2_000, 4_000];

/**
 * 503 Service Unavailable is the status a server gives on purpose while it is not ready (a maintenance page
 * served until a start-up that reads the whole database has ended, tens of seconds on a large one), not a
 * handler's crash: it is waited for up to this long from the first send, a send every `UNAVAILABLE_PAUSE_MS`.
 */
export const UNAVAILABLE_WAIT_MS = 90_000;
export const UNAVAILABLE_PAUSE_MS = 2_000;

/**
 * True when a pass's requests all answered a server error (>= 500) with a
 * record: the shape of a server not ready yet. A 4xx is the request's fault and
 * a lost record is culprit's or a crash's: neither is retried.
 */
export function looksNotStarted(records: ReadonlyArray<Pick<RequestRecord, 'status' | 'error'>>): boolean {
  return records.length > 0 && records.every((record) => record.status >= 500 && record.error === undefined);
}

/** Every request of the pass answered 503, the status of a server that says it is not ready yet. */
function answersUnavailable(records: ReadonlyArray<Pick<RequestRecord, 'status' | 'error'>>): boolean {
  return looksNotStarted(records) && records.every((record) => record.status === 503);
}

/** "the first request answered 500 until 3.1 s after the server listened: …". */
export function startUpNote(status: number, waitedMs: number): string {
  return `the request answered ${status} until ${(waitedMs / 1000).toFixed(1)} s after the server opened its port (its start-up had not ended), so culprit waited and sent it again`;
}

export interface StartUpRetry<T> {
  /** Runs one pass; its records say whether it failed. */
  pass: () => Promise<T>;
  records: (result: T) => ReadonlyArray<Pick<RequestRecord, 'status' | 'error'>>;
  /** False for a request culprit may not send twice (an unsafe method without --repeat-unsafe). */
  repeatable: boolean;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal?: AbortSignal;
  /** Told before each new send, with the status the last one answered. */
  onRetry?: (status: number) => void;
}

/** Runs `pass` until it stops answering like a server still starting, or the wait is spent. */
export async function passAfterStartUp<T>(retry: StartUpRetry<T>): Promise<{ result: T; note?: string }> {
  const started = retry.now();
  let result = await retry.pass();
  const first = retry.records(result);
  if (!retry.repeatable || !looksNotStarted(first)) return { result };
  const status = first[0]?.status ?? 500;
  for (const pause of START_UP_RETRY_MS) {
    const last = retry.records(result);
    if (!looksNotStarted(last) || retry.signal?.aborted) break;
    retry.onRetry?.(last[0]?.status ?? status);
    await retry.sleep(pause);
    result = await retry.pass();
  }
  while (answersUnavailable(retry.records(result)) && !retry.signal?.aborted) {
    if (retry.now() - started + UNAVAILABLE_PAUSE_MS > UNAVAILABLE_WAIT_MS) break;
    retry.onRetry?.(503);
    await retry.sleep(UNAVAILABLE_PAUSE_MS);
    result = await retry.pass();
  }
  if (looksNotStarted(retry.records(result))) return { result };
  return { result, note: startUpNote(status, retry.now() - started) };
}
