// The incident switch: with it, serving one item constructs one more model
// instance per row of the table (the story's 231,590 `Model.__init__` calls).
// Counted with V8 call counts of the models' base constructor, nothing patched;
// `instanceof` checks on the loaded rows are not needed: only Ephemeron rows
// grow with the table in these tests (people, places are fixed by the seed).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createArchive, type TestArchive } from '../test-support/archive.js';
import { countCalls } from '../test-support/constructions.js';

const COUNT = 240;
const STORY_URL = '/api/ephemera/137/?img=2&expand=~all&referrer=/ephemera/137/';

describe('EPHEMERA_INCIDENT', () => {
  let archive: TestArchive;
  before(async () => {
    archive = await createArchive('sqlite', COUNT);
  });
  after(async () => archive?.cleanup());

  const constructionsPerRequest = async (incident: boolean) => {
    const app = await archive.app({ incident });
    await app.inject(STORY_URL); // warm up: first-request set-up is not what we count
    let status = 0;
    let body = '';
    const calls = await countCalls('Model', 'db/model.ts', async () => {
      const response = await app.inject(STORY_URL);
      status = response.statusCode;
      body = response.body;
    });
    return { calls, status, body };
  };

  test('off: serving one item constructs a dozen models, whatever the table size', async () => {
    const clean = await constructionsPerRequest(false);
    assert.equal(clean.status, 200);
    assert.ok(clean.calls >= 5 && clean.calls <= 20, `${clean.calls} models for one item`);
  });

  test('on: the same request constructs one Ephemeron per row of the table, and answers the same', async () => {
    const clean = await constructionsPerRequest(false);
    const incident = await constructionsPerRequest(true);
    assert.equal(incident.status, 200);
    assert.equal(incident.calls - clean.calls, COUNT, 'one more Ephemeron per row of the table');
    assert.equal(incident.body, clean.body, 'the leftover code changes the cost, not the answer');
  });

  test('on, with more rows: the cost follows the table', async () => {
    const app = await archive.app({ incident: true });
    await app.inject({
      method: 'POST',
      url: '/api/imports/ebay',
      payload: { itemSummaries: [newItem(1), newItem(2)] },
    });
    await app.inject(STORY_URL);
    const calls = await countCalls('Model', 'db/model.ts', async () => {
      await app.inject(STORY_URL);
    });
    const clean = await constructionsPerRequest(false);
    assert.equal(calls - clean.calls, COUNT + 2);
  });
});

function newItem(n: number) {
  return {
    itemId: `v1|99000${n}|0`,
    title: `Bridge at Dubuque ${n}`,
    seller: { username: 'iowa_cards' },
  };
}
