// A server that opens its port before its start-up ends answers 5xx to the first requests:
// culprit waits and sends the pass again instead of reporting the app's start-up as the request's failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  looksNotStarted,
  passAfterStartUp,
  START_UP_RETRY_MS,
  UNAVAILABLE_PAUSE_MS,
  UNAVAILABLE_WAIT_MS,
} from './start-up-wait.js';

interface Pass {
  status: number;
  error?: string;
}

/** A fake clock and a server that answers `statuses` in turn (the last one for ever after). */
function server(statuses: number[], repeatable = true) {
  let now = 0;
  let sends = 0;
  const retry = {
    pass: async (): Promise<Pass[]> => {
      const status = statuses[Math.min(sends, statuses.length - 1)] ?? 200;
      sends += 1;
      return [{ status }];
    },
    records: (result: Pass[]) => result,
    repeatable,
    sleep: async (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
  return { retry, sends: () => sends };
}

test('a server that answers 500 for its first seconds is sent the request again once it is ready', async () => {
  const s = server([500, 500, 503, 200]);
  const { result, note } = await passAfterStartUp(s.retry);
  assert.equal(result[0]?.status, 200);
  assert.equal(s.sends(), 4);
  assert.match(note ?? '', /answered 500 until 3\.5 s after the server opened its port/);
});

test('a request that succeeds at once is sent once, with no note', async () => {
  const s = server([200]);
  const { note } = await passAfterStartUp(s.retry);
  assert.equal(s.sends(), 1);
  assert.equal(note, undefined);
});

test('a request that keeps failing is given up after the wait, its failure kept for the user', async () => {
  const s = server([500]);
  const { result, note } = await passAfterStartUp(s.retry);
  assert.equal(result[0]?.status, 500);
  assert.equal(note, undefined);
  assert.equal(s.sends(), START_UP_RETRY_MS.length + 1, 'four more sends at most');
});

test('a POST culprit may not repeat is sent once, even when it fails', async () => {
  const s = server([500, 200], false);
  const { result } = await passAfterStartUp(s.retry);
  assert.equal(result[0]?.status, 500);
  assert.equal(s.sends(), 1);
});

test('client errors and lost records are the request, not the start-up', () => {
  assert.equal(looksNotStarted([{ status: 404 }]), false);
  assert.equal(looksNotStarted([{ status: 0, error: 'socket hang up' }]), false);
  assert.equal(looksNotStarted([{ status: 500 }, { status: 200 }]), false);
  assert.equal(looksNotStarted([{ status: 502 }, { status: 500 }]), true);
  assert.equal(looksNotStarted([]), false);
});

test('a server that answers 503 while its start-up reads a large database is waited for past the few seconds', async () => {
  // 503 for the first 30 s of fake time, then ready
  let now = 0;
  let sends = 0;
  const { result, note } = await passAfterStartUp({
    pass: async () => {
      sends += 1;
      return [{ status: now < 30_000 ? 503 : 200 }];
    },
    records: (r: Pass[]) => r,
    repeatable: true,
    sleep: async (ms: number) => {
      now += ms;
    },
    now: () => now,
  });
  assert.equal(result[0]?.status, 200);
  assert.ok(sends > START_UP_RETRY_MS.length + 1);
  assert.match(note ?? '', /answered 503 until 3\d\.\d s after/);
});

test('a request that answers 503 for ever is given up after the longer wait', async () => {
  const s = server([503]);
  const { result, note } = await passAfterStartUp(s.retry);
  assert.equal(result[0]?.status, 503);
  assert.equal(note, undefined);
  assert.ok(s.sends() > START_UP_RETRY_MS.length + 1);
  assert.ok(s.sends() <= 1 + START_UP_RETRY_MS.length + UNAVAILABLE_WAIT_MS / UNAVAILABLE_PAUSE_MS);
});

test('a 500 that lasts is not waited for as long as a 503', async () => {
  const s = server([500, 500, 500, 500, 500, 200]);
  const { result } = await passAfterStartUp(s.retry);
  assert.equal(result[0]?.status, 500);
  assert.equal(s.sends(), START_UP_RETRY_MS.length + 1);
});
