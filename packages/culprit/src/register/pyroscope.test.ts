/**
 * culprit/register's CPU profiles: a Koa app preloaded with it, and a
 * Pyroscope-compatible endpoint of the test's own on 127.0.0.1 that decodes
 * each pprof upload. The CPU a route burns reaches Pyroscope under that
 * route's label; an endpoint that is down or answers 500 changes no response.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import {
  type PyroscopeReceiver,
  type ReceivedProfile,
  startPyroscope,
} from '../otel/test-support/pyroscope-receiver.js';
import { killRoutesApps, startRoutesApp } from './test-support/routes-app.js';

after(killRoutesApps);

/** CPU milliseconds of the samples whose stack holds `fn` (any, when absent). */
function cpuMs(profiles: ReceivedProfile[], fn?: string): number {
  let ns = 0;
  for (const profile of profiles) {
    const cpu = profile.sampleTypes.indexOf('cpu/nanoseconds');
    for (const sample of profile.samples) if (!fn || sample.stack.includes(fn)) ns += sample.values[cpu] ?? 0;
  }
  return ns / 1e6;
}

async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('CPU profiles reach Pyroscope as pprof, one series per route, with the CPU each route burnt', async (t) => {
  const pyroscope = await startPyroscope();
  t.after(() => pyroscope.close());
  const app = await startRoutesApp({
    CULPRIT_PYROSCOPE_URL: `${pyroscope.url}/`,
    CULPRIT_PROFILE_SECONDS: '1',
    OTEL_SERVICE_NAME: 'cards-api',
  });
  t.after(() => app.child.kill('SIGKILL'));
  const spinSeries = 'cards-api{method=GET,route=/api/spin/:ms}';
  const of = (name: string) => pyroscope.profiles.filter((profile) => profile.name === name);
  // sampling starts with the export worker, a moment after the app listens (longer on a loaded machine):
  // traffic goes on until 240 ms of spin reached Pyroscope (the intervals are 1 s)
  let spins = 0;
  const started = performance.now();
  while (cpuMs(of(spinSeries), 'spin') < 240) {
    if (performance.now() - started > 30_000) {
      const stacks = of(spinSeries)
        .flatMap((p) => p.samples.map((sample) => sample.stack.slice(0, 4).join('<')))
        .slice(0, 6);
      const got = `${pyroscope.profiles.length} uploads, the spin series' stacks: ${stacks.join(' | ')}`;
      assert.fail(`spin's CPU did not reach Pyroscope in 30 s; got ${got} (${app.stderr()})`);
    }
    assert.equal((await fetch(`${app.base}/api/spin/60`)).status, 200);
    spins += 1;
    for (let j = 1; j <= 3; j++) assert.equal((await fetch(`${app.base}/api/cards/${j}`)).status, 200);
  }

  for (const profile of pyroscope.profiles) {
    assert.equal(profile.query.get('format'), 'pprof');
    const from = Number(profile.query.get('from'));
    const until = Number(profile.query.get('until'));
    assert.ok(Number.isInteger(from) && Number.isInteger(until) && from <= until, `${from}..${until}`);
    assert.ok(Math.abs(until - Date.now() / 1000) < 60, 'Unix seconds');
    assert.deepEqual(profile.sampleTypes, ['samples/count', 'cpu/nanoseconds']);
    assert.match(profile.name, /^cards-api\{/);
  }
  const spin = cpuMs(of(spinSeries), 'spin');
  assert.ok(spin <= spins * 60 * 1.5, `spin's CPU (${spin} ms) is at most what ${spins} × 60 ms requests took`);
  const cards = of('cards-api{method=GET,route=/api/cards/:id}');
  assert.equal(cpuMs(cards, 'spin'), 0, 'no spin in the cards series');
  const unlabelled = pyroscope.profiles.filter((profile) => profile.name === 'cards-api{}');
  // a sample is labelled by the request window it falls in; on a loaded machine (CI runs three suites on 2
  // cores) more samples straddle the windows' edges: most of spin, not all, is asserted
  const unlabelledSpin = cpuMs(unlabelled, 'spin');
  assert.ok(
    unlabelledSpin < spin,
    `most of spin is labelled with its route: ${spin} ms labelled, ${unlabelledSpin} not`,
  );
  assert.equal(app.stderr(), '');
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a Pyroscope endpoint that is down or answers 500 changes no response and says nothing', async (t) => {
  const failing = await startPyroscope('error500');
  t.after(() => failing.close());
  const cases: Array<[string, string, PyroscopeReceiver | undefined]> = [
    ['down', `http://127.0.0.1:${await closedPort()}`, undefined],
    ['answering 500', failing.url, failing],
  ];
  for (const [name, url, receiver] of cases) {
    const app = await startRoutesApp({ CULPRIT_PYROSCOPE_URL: url, CULPRIT_PROFILE_SECONDS: '1' });
    try {
      const started = performance.now();
      while (performance.now() - started < 2500) {
        const spin = await fetch(`${app.base}/api/spin/20`);
        assert.equal(spin.status, 200, name);
        assert.equal(await spin.text(), '{"spun":true}', name);
        const card = await fetch(`${app.base}/api/cards/7`);
        assert.equal(await card.text(), '{"id":7}', name);
      }
      if (receiver) await until('an upload attempt', () => receiver.uploads > 0);
      assert.equal(app.stderr(), '', name);
    } finally {
      app.child.kill('SIGKILL');
      await app.exited;
    }
  }
});
