/**
 * A server that listens before its start-up has ended: it opens its port, then
 * loads what its handlers need (authentication strategies, a schema, plugins),
 * and answers 5xx until then. culprit sends its first request as soon as the
 * port opens, so such a first pass fails on the app's start-up, not on the
 * request. When every request of the first pass answered >= 500 and culprit may
 * send it again, it waits and sends the pass again, for a few seconds at most.
 */
import type { RequestRecord } from '../capture/types.js';

/** How long after the first failed pass culprit keeps retrying it. */
export const START_UP_WAIT_MS = 15_000;
/** The pause before each retry: start-up work (a strategy, a provider) takes seconds. */
export const START_UP_RETRY_MS = 1_000;

/**
 * True when a pass's requests all answered a server error (>= 500) with a
 * record: the shape of a server not ready yet. A 4xx is the request's fault and
 * a lost record is culprit's or a crash's: neither is retried.
 */
export function looksNotStarted(records: ReadonlyArray<Pick<RequestRecord, 'status' | 'error'>>): boolean {
  return records.length > 0 && records.every((record) => record.status >= 500 && record.error === undefined);
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
}

/** Runs `pass` until it stops answering like a server still starting, or the wait is spent. */
export async function passAfterStartUp<T>(retry: StartUpRetry<T>): Promise<{ result: T; note?: string }> {
  const started = retry.now();
  let result = await retry.pass();
  const first = retry.records(result);
  if (!retry.repeatable || !looksNotStarted(first)) return { result };
  const status = first[0]?.status ?? 500;
  while (looksNotStarted(retry.records(result)) && retry.now() - started < START_UP_WAIT_MS) {
    if (retry.signal?.aborted) return { result };
    await retry.sleep(START_UP_RETRY_MS);
    result = await retry.pass();
  }
  if (looksNotStarted(retry.records(result))) return { result };
  return { result, note: startUpNote(status, retry.now() - started) };
}
