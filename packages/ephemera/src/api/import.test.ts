// POST /api/imports/ebay: all-or-nothing per feed, idempotent on itemId.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createArchive, postgresUnavailable, type TestArchive } from '../test-support/archive.js';

const pgSkip = await postgresUnavailable();

function item(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    itemId: `v1|3850000${n}|0`,
    title: `Antique postcard ${n}, Main Street, Galena Ill. 1909`,
    image: { imageUrl: `https://i.ebayimg.com/images/g/abc${n}/s-l1600.jpg` },
    additionalImages: [{ imageUrl: `https://i.ebayimg.com/images/g/def${n}/s-l1600.jpg` }],
    seller: { username: 'galena_paper', feedbackScore: 1200 },
    itemLocation: { city: 'Galena', stateOrProvince: 'Illinois', country: 'US' },
    shortDescription: `Written to Miss Ida Pettibone, ${n}.`,
    ...overrides,
  };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' && pgSkip !== null ? pgSkip : false;
  describe(`eBay import on ${kind}`, { skip }, () => {
    let archive: TestArchive;
    let app: FastifyInstance;
    const post = async (payload: unknown) => {
      const response = await app.inject({ method: 'POST', url: '/api/imports/ebay', payload: payload as object });
      return { status: response.statusCode, body: response.json() as Record<string, unknown> };
    };
    const countItems = async () =>
      Number((await archive.query('SELECT COUNT(*) AS n FROM ephemeron'))[0]?.n ?? Number.NaN);

    before(async () => {
      archive = await createArchive(kind, 50);
      app = await archive.app();
    });
    after(async () => archive?.cleanup());

    test('a feed creates items in the seller collection; the same feed again creates nothing', async () => {
      const feed = { itemSummaries: [item(1), item(2), item(3)] };
      const first = await post(feed);
      assert.equal(first.status, 200);
      assert.deepEqual(first.body, { created: 3, updated: 0, skipped: 0 });
      assert.equal(await countItems(), 53);
      const second = await post(feed);
      assert.deepEqual(second.body, { created: 0, updated: 0, skipped: 3 });
      assert.equal(await countItems(), 53);
      const changed = await post({ itemSummaries: [item(1, { title: 'Galena Ill., Main Street (corrected)' })] });
      assert.deepEqual(changed.body, { created: 0, updated: 1, skipped: 0 });
      const found = await app.inject('/api/ephemera/?q=Pettibone&expand=collection&img=3');
      const results = (found.json() as { results: Array<Record<string, unknown>> }).results;
      assert.equal(results.length, 3);
      const collection = results[0]?.collection as Record<string, unknown>;
      assert.equal(collection.seller, 'galena_paper');
      const front = results[0]?.front as Record<string, unknown>;
      assert.equal(front.url, 'https://i.ebayimg.com/images/g/abc1/s-l1600.jpg');
    });

    test('a partly invalid feed is a 400 listing the bad items, and nothing of it is written', async () => {
      const before = await countItems();
      const feed = {
        itemSummaries: [
          item(10),
          item(11, { title: '' }),
          item(12, { image: { imageUrl: 'javascript:alert(1)' } }),
          item(13, { seller: {} }),
          item(10),
        ],
      };
      const { status, body } = await post(feed);
      assert.equal(status, 400);
      const error = body.error as { parameter: string; details: Array<{ index: number; problems: string[] }> };
      assert.equal(error.parameter, 'itemSummaries');
      assert.deepEqual(
        error.details.map((d) => d.index),
        [1, 2, 3, 4],
      );
      assert.match(error.details[0]?.problems[0] ?? '', /^title:/);
      assert.match(error.details[3]?.problems[0] ?? '', /more than once/);
      assert.equal(await countItems(), before, 'the valid item of the bad feed was not written either');
    });

    test('malformed bodies are 400s', async () => {
      assert.equal((await post({ items: [] })).status, 400);
      assert.equal((await post([1, 2])).status, 400);
      const raw = await app.inject({
        method: 'POST',
        url: '/api/imports/ebay',
        headers: { 'content-type': 'application/json' },
        payload: '{"itemSummaries": [',
      });
      assert.equal(raw.statusCode, 400);
    });

    test('injection attempts in feed text are stored as text', async () => {
      const title = "Robert'); DROP TABLE ephemeron;--";
      const injected = item(20, { title });
      const { status } = await post({ itemSummaries: [injected] });
      assert.equal(status, 200);
      const placeholder = kind === 'sqlite' ? '?' : '$1';
      const rows = await archive.query(`SELECT title FROM ephemeron WHERE ebay_item_id = ${placeholder}`, [
        injected.itemId,
      ]);
      assert.deepEqual(
        rows.map((r) => r.title),
        [title],
      );
      const found = await app.inject('/api/ephemera/?q=Robert%20DROP');
      const results = (found.json() as { results: Array<{ title: string }> }).results;
      assert.ok(results.some((r) => r.title === title));
    });
  });
}
