import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from '../diagnose/test-support/captures.js';
import { coldTraceNote } from './cold-trace.js';

test('a traced run slowed by waiting for a core is not traced again', () => {
  // the story at 30k rows at load 21: one synchronous stretch of 2.5 s for 0.64 s of CPU
  const traced = request({
    wallMs: 2_515,
    cpuMs: 643,
    blockingMs: 2_515,
    blocking: [{ startMs: 0, durationMs: 2_515 }],
  });
  assert.equal(coldTraceNote(traced, request({ wallMs: 600, cpuMs: 590 })), undefined);
});

test('a first run that compiled its route is traced again, whatever the load', () => {
  // its CPU is its own: 1.4 s of compiling and running, where the warm run takes 0.3 s
  const traced = request({
    wallMs: 1_500,
    cpuMs: 1_400,
    blockingMs: 1_450,
    blocking: [{ startMs: 0, durationMs: 1_450 }],
  });
  assert.equal(
    coldTraceNote(traced, request({ wallMs: 300, cpuMs: 290 })),
    'the one traced run took 1.5 s, the timed run 0.3 s: a cold first run, so the request was traced once more',
  );
});

test('a first run that waited for a slow call to fill a cache is traced again: waits are its own time', () => {
  const traced = request({ wallMs: 2_000, cpuMs: 30, blockingMs: 4, blocking: [{ startMs: 10, durationMs: 4 }] });
  assert.match(coldTraceNote(traced, request({ wallMs: 80, cpuMs: 20 })) ?? '', /took 2\.0 s, the timed run 0\.1 s/);
});

test('the note tells the own time apart when a loaded machine stretched the traced run', () => {
  // 1.2 s own (cold) inside 3 s of wall
  const traced = request({
    wallMs: 3_000,
    cpuMs: 1_200,
    blockingMs: 3_000,
    blocking: [{ startMs: 0, durationMs: 3_000 }],
  });
  assert.equal(
    coldTraceNote(traced, request({ wallMs: 300, cpuMs: 280 })),
    'the one traced run took 3.0 s (1.2 s of its own, 1.8 s waiting for a core), the timed run 0.3 s: a cold first run, so the request was traced once more',
  );
});
