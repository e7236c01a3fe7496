// The share of requests register records, and its per-second limit: a caller's sampled trace is always followed.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { SampledRequest } from '../otel/messages.js';
import { recordSampledRequests, shareGap } from './sampled-recorder.js';
import { scopeRecord } from './scope-record.js';

const SAMPLED_PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const parent = (flags: string): string => SAMPLED_PARENT.replace(/-01$/, `-${flags}`);

/** A response as the recorder reads it: an emitter of 'close', finished or not. */
function fakeResponse(): EventEmitter & { statusCode: number; writableFinished: boolean; getHeader(): string } {
  return Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: false, getHeader: () => '2' });
}

/** Publishes one request's start, then ends its response as Node's HTTP server does (finished, then closed). */
function serve(rawHeaders: string[] = [], finished = true): ReturnType<typeof fakeResponse> {
  const request = { method: 'GET', url: '/items', rawHeaders, socket: {} };
  const response = fakeResponse();
  dc.channel('http.server.request.start').publish({ request, response });
  response.writableFinished = finished;
  response.emit('close');
  return response;
}

test('the share is recorded up to the limit per second; a sampled traceparent always', () => {
  let clock = 0;
  let clockReads = 0;
  const timers: Array<{ at: number; run: () => void }> = [];
  const advance = (ms: number): void => {
    clock += ms;
    for (const timer of timers.splice(0)) {
      if (timer.at <= clock) timer.run();
      else timers.push(timer);
    }
  };
  const delivered: SampledRequest[] = [];
  const stop = recordSampledRequests({
    toRecord: scopeRecord,
    sampleRate: 1,
    maxPerSecond: 3,
    now: () => {
      clockReads += 1;
      return clock;
    },
    after: (ms, run) => timers.push({ at: clock + ms, run }),
    random: () => 0,
    deliver: (request) => delivered.push(request),
  });
  try {
    for (let i = 0; i < 10; i++) serve();
    assert.equal(delivered.length, 3, 'three in the first second');
    const readsWhenFull = clockReads;
    for (let i = 0; i < 100; i++) serve();
    assert.equal(clockReads, readsWhenFull, 'a second whose limit is reached reads no clock');
    serve(['traceparent', SAMPLED_PARENT]);
    assert.equal(delivered.length, 4, 'a caller sampled this trace');
    assert.equal(delivered.at(-1)?.traceparent, SAMPLED_PARENT);
    advance(999);
    serve();
    assert.equal(delivered.length, 4, 'still the same second');
    advance(1);
    for (let i = 0; i < 10; i++) serve();
    assert.equal(delivered.length, 7, 'three more in the next');
    advance(2500);
    serve();
    serve();
    assert.equal(delivered.length, 9, 'two of three in a later second');
    advance(1000);
    for (let i = 0; i < 3; i++) serve();
    assert.equal(delivered.length, 12, 'a second the limit never filled ends by the clock: three more');
  } finally {
    stop();
  }
});

test('a limit of 0 records the whole share', () => {
  const delivered: SampledRequest[] = [];
  const stop = recordSampledRequests({
    toRecord: scopeRecord,
    sampleRate: 1,
    maxPerSecond: 0,
    random: () => 0,
    deliver: (request) => delivered.push(request),
  });
  try {
    for (let i = 0; i < 50; i++) serve();
    assert.equal(delivered.length, 50);
  } finally {
    stop();
  }
});

test('a response closed before it finished (the client went away) is not delivered, and its listener goes', () => {
  const delivered: SampledRequest[] = [];
  const stop = recordSampledRequests({
    toRecord: scopeRecord,
    sampleRate: 1,
    random: () => 0,
    deliver: (request) => delivered.push(request),
  });
  try {
    const aborted = serve([], false);
    assert.equal(delivered.length, 0);
    assert.equal(aborted.listenerCount('close'), 0);
    const finished = serve();
    assert.equal(delivered.length, 1);
    assert.equal(finished.listenerCount('close'), 0);
  } finally {
    stop();
  }
});

test('a request outside the share gets no listener', () => {
  const stop = recordSampledRequests({ toRecord: scopeRecord, sampleRate: 0.5, random: () => 0.9, deliver: () => {} });
  try {
    const request = { method: 'GET', url: '/items', rawHeaders: [], socket: {} };
    const response = fakeResponse();
    dc.channel('http.server.request.start').publish({ request, response });
    assert.equal(response.listenerCount('close'), 0);
  } finally {
    stop();
  }
});

test("a caller's trace is followed by its sampled flag alone, the share taking none", () => {
  const delivered: SampledRequest[] = [];
  const stop = recordSampledRequests({
    toRecord: scopeRecord,
    sampleRate: 0,
    deliver: (request) => delivered.push(request),
  });
  try {
    for (const flags of ['00', '02', '0a', '0e', 'f0']) serve(['traceparent', parent(flags)]);
    assert.equal(delivered.length, 0, 'flags without the sampled bit');
    for (const flags of ['01', '03', '0b', '0f', 'ff']) serve(['traceparent', parent(flags)]);
    assert.equal(delivered.length, 5, 'flags with the sampled bit');
    serve(['traceparent', parent('0B')]);
    serve(['traceparent', `${parent('01').replace('00-', '0g-')}`]);
    serve(['traceparent', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`]);
    assert.equal(delivered.length, 5, 'no valid traceparent (upper case, a bad version, a zero trace id)');
    serve(['traceparent', ` ${parent('01')} `]);
    serve(['traceparent', `01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-future`]);
    assert.equal(delivered.length, 7, 'padded, and a later version with more fields');
  } finally {
    stop();
  }
});

test('the share skips a geometric count of requests between two it records: the same share as a draw per request', () => {
  assert.equal(shareGap(1, Math.random), 0);
  assert.equal(shareGap(0, Math.random), Number.POSITIVE_INFINITY);
  assert.equal(
    shareGap(0.1, () => 0),
    0,
    'a draw of 0 records the next request',
  );
  // a fixed sequence of draws (a linear congruential generator) over 200,000 requests
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (const rate of [0.5, 0.1, 0.01]) {
    let recorded = 0;
    let requests = 0;
    while (requests < 200_000) {
      requests += shareGap(rate, random) + 1;
      recorded += 1;
    }
    const share = recorded / requests;
    assert.ok(Math.abs(share - rate) < rate * 0.05, `rate ${rate}: recorded ${share}`);
  }
});
