import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtherTrafficCounter } from './other-traffic.js';

test("the probe's batches add up: a row of 12 health checks counts 12, not one", () => {
  const counter = new OtherTrafficCounter();
  counter.add({ method: 'GET', path: '/health', status: 200, count: 12 });
  counter.add({ method: 'GET', path: '/health', status: 200, count: 3 });
  counter.add({ method: 'GET', path: '/favicon.ico', status: 404, count: 1 });
  assert.deepEqual(counter.rowsSoFar(), [
    { method: 'GET', path: '/health', status: 200, count: 15 },
    { method: 'GET', path: '/favicon.ico', status: 404, count: 1 },
  ]);
  assert.equal(counter.total(), 16);
});
