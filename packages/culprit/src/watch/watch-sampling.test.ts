// culprit watch under more traffic than it records in full: the probe counts
// every request and records a sample; the route's counts and query totals stay
// exact, and the N+1 is still found from the sample. Needs `npm run build`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../capture/types.js';
import { startWatch } from './test-support/start-watch.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** `total` GETs of `paths` (in turn), `concurrency` at a time. */
async function load(base: string, paths: string[], total: number, concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const path = paths[next++ % paths.length] ?? '/';
      const response = await fetch(`${base}${path}`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

test('watch samples detail under load: counts and queries exact, the N+1 found in the sample', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-watch-sampling-'));
  const save = join(dir, 'watch.json');
  const watch = await startWatch(['--save', save, '--', 'node', 'server.js'], join(fixtures, 'watch-express'));
  const statuses = await load(
    watch.url,
    ['/api/owners/1/cards', '/api/cards/7', '/api/cards/8', '/api/cards/9'],
    400,
    4,
  );
  assert.equal(statuses.filter((s) => s === 200).length, 400);
  const { code } = await watch.stop();
  assert.equal(code, 0);
  const capture = JSON.parse(readFileSync(save, 'utf8')) as Capture;
  const routes = capture.watch?.routes ?? [];
  const slow = routes.find((r) => r.route === '/api/owners/:id/cards');
  const card = routes.find((r) => r.route === '/api/cards/:id');
  assert.equal(slow?.count, 100);
  assert.equal(card?.count, 300);
  // owner 1 has 500 cards: one list query and one tag query per card, on every request, recorded or not
  assert.equal(slow?.queries, 100 * 501);
  assert.equal(card?.queries, 300);
  assert.equal(card?.rows, 300);
  assert.ok(
    (card?.detailed ?? 0) >= 10 && (card?.detailed ?? 0) < 300,
    `a sample of the card route: ${card?.detailed}`,
  );
  assert.ok((slow?.detailed ?? 0) >= 10 && (slow?.detailed ?? 0) <= 100, `${slow?.detailed}`);
  assert.equal(slow?.finding?.rule, 'n-plus-one');
  assert.equal(
    capture.requests.length,
    routes.reduce((sum, r) => sum + Math.min(5, r.detailed ?? 0), 0),
    'only requests recorded in full are kept as examples',
  );
  assert.ok(slow?.series.reduce((n, b) => n + b.count, 0) === 100, 'every request in the latency series');
  assert.ok(capture.notes?.some((n) => /records \d+ of \d+ in full/.test(n)));
});
