// The share of requests register records, and its per-second limit: a caller's sampled trace is always followed.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { test } from 'node:test';
import type { SampledRequest } from '../otel/messages.js';
import { recordSampledRequests } from './sampled-recorder.js';

const SAMPLED_PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** Publishes one request's start and finish as Node's HTTP server does. */
function serve(rawHeaders: string[] = []): void {
  const request = { method: 'GET', url: '/items', rawHeaders, socket: {} };
  const response = { statusCode: 200, getHeader: () => '2' };
  dc.channel('http.server.request.start').publish({ request, response });
  dc.channel('http.server.response.finish').publish({ request, response });
}

test('the share is recorded up to the limit per second; a sampled traceparent always', () => {
  let clock = 0;
  const delivered: SampledRequest[] = [];
  const stop = recordSampledRequests({
    sampleRate: 1,
    maxPerSecond: 3,
    now: () => clock,
    random: () => 0,
    deliver: (request) => delivered.push(request),
  });
  try {
    for (let i = 0; i < 10; i++) serve();
    assert.equal(delivered.length, 3, 'three in the first second');
    serve(['traceparent', SAMPLED_PARENT]);
    assert.equal(delivered.length, 4, 'a caller sampled this trace');
    assert.equal(delivered.at(-1)?.traceparent, SAMPLED_PARENT);
    clock += 999;
    serve();
    assert.equal(delivered.length, 4, 'still the same second');
    clock += 1;
    for (let i = 0; i < 10; i++) serve();
    assert.equal(delivered.length, 7, 'three more in the next');
  } finally {
    stop();
  }
});

test('a limit of 0 records the whole share', () => {
  const delivered: SampledRequest[] = [];
  const stop = recordSampledRequests({
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
