// diagnose without -n: a slow request is sent a few times, not 2n + 1, and a
// cold first traced run (or one that did other work than the warm-up) is traced again. Assertions on sends, records and
// notes (the routes wait on timers, so the times hold under load). Needs `npm run build`.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openTarget } from '../target/open-target.js';
import type { RunningTarget } from '../target/types.js';
import { runInvestigation } from './run-investigation.js';

const cwd = fileURLToPath(new URL('../../../../fixtures/trace-sends/', import.meta.url));
const opened: RunningTarget[] = [];
after(async () => {
  await Promise.all(opened.map((target) => target.close()));
});

async function investigate(path: string, budgeted: boolean, count = 3) {
  const target = await openTarget({ mode: 'module', modulePath: 'app.js', cwd, readyTimeoutMs: 15_000 });
  opened.push(target);
  const capture = await runInvestigation(target, {
    request: { method: 'GET', path },
    count,
    budgeted,
    keepParams: false,
    profile: true,
    intervalUs: 1000,
    commandLine: 'diagnose test',
    version: 'test',
  });
  return { capture, sent: target.sent, notes: (capture.notes ?? []).join('\n') };
}

test('a request over the budget: one traced run, one timed, no warm-up', async () => {
  const { capture, sent, notes } = await investigate('/slow?ms=1100', true);
  assert.equal(sent, 2, notes);
  assert.equal(capture.requests.length, 1);
  assert.ok(capture.profile, 'profiled');
  assert.match(
    notes,
    /request sent 1 time \(trace, stopped at [\d.]+ s of requests: a pass spends about 1 s unless -n/,
  );
  assert.match(notes, /profile: 0 warm-up, 1 timed, stopped at/);
  assert.doesNotMatch(notes, /cold first run/);
});

test('a request over half the budget: one traced run and one timed, as a second would end past it', async () => {
  const { sent, notes } = await investigate('/slow?ms=600', true);
  assert.equal(sent, 2, notes);
  assert.match(notes, /profile: 0 warm-up, 1 timed, stopped at 0\.[6-9] s of requests/);
});

test('a short steady request: one traced run, a warm-up that did its work, one timed run no slower than the warm-up', async () => {
  // 0.3 s a run: a second would still end within the 1 s budget, and a timer's lateness under load stays under 20%
  const { capture, sent, notes } = await investigate('/slow?ms=300', true);
  assert.equal(sent, 3, `1 traced, 1 warm-up, 1 timed: ${notes}`);
  assert.equal(capture.requests.length, 1);
  assert.match(notes, /request sent 1 time \(trace, stopped after one run: the warm-up after it checks its work/);
  assert.match(
    notes,
    /profile: 1 warm-up, 1 timed, stopped at 0\.[3-5] s of requests: the timed run took no longer than the warm-up \(within 20%\)/,
  );
  assert.doesNotMatch(notes, /traced once more/);
});

test('a short request whose first run filled a cache: the warm-up did other work, so it is traced once more', async () => {
  const { capture, sent, notes } = await investigate('/filled?ms=100', true);
  const timed = Number(/profile: 1 warm-up, (\d) timed/.exec(notes)?.[1]);
  assert.ok(timed >= 1 && timed <= 3, notes);
  assert.equal(sent, 3 + timed, `1 traced, 1 warm-up, ${timed} timed, 1 traced again: ${notes}`);
  assert.deepEqual(
    capture.requests.map((r) => r.queries.length),
    [2, 1],
    'the cold run and the warm one, both kept',
  );
  assert.match(notes, /the warm-up did other work than the one traced run/);
  assert.ok((capture.profile?.countedRequests ?? 0) >= 2, 'both traced runs counted');
});

test('-n given: every pass sends its count', async () => {
  const { sent, capture } = await investigate('/slow?ms=400', false);
  assert.equal(sent, 7, '3 traced, 1 warm-up, 3 timed');
  assert.equal(capture.requests.length, 3);
});

test('one long traced run and fast timed ones: the cold run is traced again, with its calls counted', async () => {
  const { capture, sent, notes } = await investigate('/cold?ms=2500', true);
  // the timed runs answer at once: two that agree end the pass, else three
  const timed = Number(/profile: 0 warm-up, (\d) timed/.exec(notes)?.[1]);
  assert.ok(timed === 2 || timed === 3, notes);
  assert.equal(sent, 2 + timed, `1 traced (cold), ${timed} timed, 1 traced again: ${notes}`);
  assert.equal(capture.requests.length, 2);
  assert.deepEqual(
    capture.requests.map((r) => r.id),
    [1, 2],
  );
  assert.ok(capture.requests.every((r) => r.queries.length === 1));
  assert.match(notes, /a cold first run, so the request was traced once more/);
  // each send noted once: 1 + 1 traced, 3 timed
  const noted = [...notes.matchAll(/request sent (\d+) times?/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  assert.equal(noted, sent, notes);
  assert.ok((capture.profile?.countedRequests ?? 0) >= 2, 'both traced runs counted');
});

test('-n 1 and a cold first run: traced once more, as one run of one-time work says nothing of the route', async () => {
  const { capture, sent, notes } = await investigate('/cold?ms=2500', false, 1);
  assert.equal(sent, 4, `1 traced (cold), 1 warm-up, 1 timed, 1 traced again: ${notes}`);
  assert.equal(capture.requests.length, 2);
  assert.match(notes, /a cold first run, so the request was traced once more/);
});
