import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SAMPLER, type SamplerSettings, samplerSettings, WatchSampler } from './watch-sampler.js';

/** A sampler on a clock the test moves; the jitter coin always lands mid-way (interval × 1). */
function sampler(settings: Partial<SamplerSettings> = {}) {
  const clock = { now: 0 };
  const s = new WatchSampler(
    () => clock.now,
    { ...DEFAULT_SAMPLER, ...settings },
    () => 0.5,
  );
  return { s, clock };
}

test('the first requests of each route in detail, then one per interval', () => {
  const { s, clock } = sampler({ first: 3, intervalMs: 100, perSecond: 1000 });
  const picks: boolean[] = [];
  for (let i = 0; i < 10; i++) {
    picks.push(s.detail('GET /a/:id', `/a/${i}`));
    clock.now += 10;
  }
  // 3 first (t=0,10,20), the next allowed 100 ms after the third (t=120): none before t=100 here
  assert.deepEqual(picks, [true, true, true, false, false, false, false, false, false, false]);
  clock.now = 125;
  assert.equal(s.detail('GET /a/:id', '/a/x'), true);
  assert.equal(s.detail('GET /a/:id', '/a/y'), false);
  assert.equal(s.detail('GET /b', '/b'), true, 'another route has its own first requests');
});

test('one budget per second over all routes: many routes cannot make every request detailed', () => {
  const { s, clock } = sampler({ first: 10, intervalMs: 0, perSecond: 5 });
  let detailed = 0;
  for (let i = 0; i < 1000; i++) {
    if (s.detail(`GET /r${i}`, `/r${i}`)) detailed++;
    clock.now += 1; // 1000 requests over one second
  }
  assert.ok(detailed >= 5 && detailed <= 11, `about 5 + 5 refilled in a second: ${detailed}`);
});

test('a counted request slower than every detailed one of its route gets its URL detailed next', () => {
  const { s, clock } = sampler({ first: 1, intervalMs: 60_000, perSecond: 1000 });
  assert.equal(s.detail('GET /a/:id', '/a/1'), true);
  s.finished('GET /a/:id', '/a/1', 5, true);
  clock.now += 10;
  assert.equal(s.detail('GET /a/:id', '/a/2'), false);
  s.finished('GET /a/:id', '/a/2', 4, false); // not slower: nothing wanted
  assert.equal(s.detail('GET /a/:id', '/a/2'), false);
  assert.equal(s.detail('GET /a/:id', '/a/3'), false);
  s.finished('GET /a/:id', '/a/3', 50, false); // slower than the slowest detailed (5 ms)
  assert.equal(s.detail('GET /a/:id', '/a/1'), false, 'another URL of the route is still only counted');
  assert.equal(s.detail('GET /a/:id', '/a/3'), true, 'the slow URL, once');
  assert.equal(s.detail('GET /a/:id', '/a/3'), false);
});

test('route keys are bounded: past the limit the rest share one', () => {
  const { s } = sampler({ first: 2, intervalMs: 60_000, perSecond: 1000, maxKeys: 3 });
  for (const key of ['a', 'b', 'c']) assert.equal(s.detail(key, key), true);
  assert.equal(s.detail('d', 'd'), true);
  assert.equal(s.detail('e', 'e'), true);
  assert.equal(s.detail('f', 'f'), false, 'd, e and f share the overflow key and its first 2');
});

test('CULPRIT_WATCH_SAMPLE sets the first requests and the interval: a bench details none or every one', () => {
  assert.equal(samplerSettings({}), DEFAULT_SAMPLER);
  assert.equal(samplerSettings({ CULPRIT_WATCH_SAMPLE: 'lots' }), DEFAULT_SAMPLER);
  const clock = { now: 0 };
  const none = new WatchSampler(() => clock.now, samplerSettings({ CULPRIT_WATCH_SAMPLE: '0,1e9' }));
  const all = new WatchSampler(() => clock.now, samplerSettings({ CULPRIT_WATCH_SAMPLE: '1e9, 0' }));
  let detailedNone = 0;
  let detailedAll = 0;
  for (let i = 0; i < 500; i++) {
    if (none.detail('GET /a', '/a')) detailedNone += 1;
    // a slow request would ask for the next one in full: not under `0,…`
    none.finished('GET /a', '/a', 1000 + i, false);
    if (all.detail('GET /a', '/a')) detailedAll += 1;
    clock.now += 1;
  }
  assert.equal(detailedNone, 0);
  assert.equal(detailedAll, 500, 'no per-second cap either');
});
