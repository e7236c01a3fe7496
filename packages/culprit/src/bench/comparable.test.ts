import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../cli/main.js';
import { recordingIo } from '../cli/test-support/recording-io.js';
import { CulpritError } from '../errors/culprit-error.js';
import { comparabilityWarnings } from './comparable.js';
import { createStats } from './stats.js';
import { type BenchSummary, summarize } from './summary.js';
import { loadOptions } from './test-support/load-options.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-compare-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A saved run of 100 requests around `ms`, with what a test changes. */
function saved(name: string, ms: number, changes: Partial<BenchSummary> = {}, url = 'http://127.0.0.1:3000/a'): string {
  const stats = createStats();
  for (let i = 0; i < 100; i++) {
    stats.latencyUs.recordValue(Math.round(ms * 1000 * (0.9 + i / 500)));
    stats.requests++;
  }
  stats.durationMs = 1000;
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ ...summarize(loadOptions({ url, requests: 100 }), stats), ...changes }));
  return file;
}

async function compare(a: string, b: string, json = false) {
  const io = recordingIo(dir);
  const code = await main(['compare', ...(json ? ['--json'] : []), a, b], io);
  return { code, out: io.out(), err: io.err() };
}

test('the same request before and after: no warning', async () => {
  const { code, err } = await compare(saved('a1.json', 300), saved('b1.json', 100));
  assert.equal(code, 0);
  assert.equal(err, '');
});

test('the same request on two servers (other ports) is a before/after: no warning', async () => {
  const { err } = await compare(
    saved('p1.json', 300, {}, 'http://127.0.0.1:39311/a?x=?'),
    saved('p2.json', 100, {}, 'http://127.0.0.1:40753/a?x=?'),
  );
  assert.equal(err, '');
});

test('different URLs or methods are compared with a warning line, also in --json', async () => {
  const a = saved('a2.json', 300);
  const other = saved('b2.json', 100, {}, 'http://127.0.0.1:3000/b');
  const text = await compare(a, other);
  assert.equal(text.code, 0);
  assert.match(text.err, /^culprit compare: warning: A and B sent different requests \(A: GET .*\/a, B: GET .*\/b\)/);
  assert.match(text.out, /B is .* faster/);
  const post = await compare(a, saved('b3.json', 100, { method: 'POST' }), true);
  assert.equal(post.code, 0);
  assert.match(post.err, /A: GET .*\/a, B: POST .*\/a/);
  assert.equal(JSON.parse(post.out).warnings.length, 1);
});

test('different load (connections, pacing) is said too', () => {
  const base = { label: 'a', url: 'u', method: 'GET', unit: 'us' };
  const warnings = comparabilityWarnings(
    { ...base, concurrency: 1, rate: null },
    { ...base, label: 'b', concurrency: 50, rate: 100 },
  );
  assert.equal(warnings.length, 2);
  assert.match(warnings[0] ?? '', /A ran 1 connections, B 50/);
  assert.match(warnings[1] ?? '', /A was unpaced, B -q 100/);
});

test('latencies in different units are refused: usage error, exit 2, one line', async () => {
  const { code, out, err } = await compare(
    saved('a4.json', 300),
    saved('b4.json', 100, { histogramUnit: 'ms' as 'us' }),
  );
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(
    err,
    /^culprit: CULPRIT_E_INCOMPARABLE_RUNS: .*a4\.json records latencies in 'us' but .*b4\.json in 'ms'/,
  );
  assert.equal(err.trim().split('\n').length, 1);
  assert.throws(
    () => comparabilityWarnings({ label: 'a', unit: 'ns' }, { label: 'b', unit: 'ns' }),
    (e: unknown) => e instanceof CulpritError && e.code === 'CULPRIT_E_INCOMPARABLE_RUNS',
  );
});

test('a capture given instead of a bench run says what it is', async () => {
  const capture = join(dir, 'cap.json');
  writeFileSync(capture, JSON.stringify({ schema: 'culprit.capture/1', requests: [] }));
  const { code, err } = await compare(capture, saved('b5.json', 100));
  assert.equal(code, 2);
  assert.match(
    err,
    /CULPRIT_E_BAD_CAPTURE: .*cap\.json: a capture of culprit trace\/profile\/diagnose, not a bench run/,
  );
});
