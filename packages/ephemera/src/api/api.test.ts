// The API, by in-process injection (no port), on SQLite always and on
// PostgreSQL when it answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createArchive, postgresUnavailable, type TestArchive } from '../test-support/archive.js';

const COUNT = 300;
const pgSkip = await postgresUnavailable();

type Body = Record<string, unknown>;

async function get(app: FastifyInstance, url: string): Promise<{ status: number; body: Body }> {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() as Body };
}

function errorOf(body: Body): { code: string; message: string; parameter?: string } {
  return body.error as { code: string; message: string; parameter?: string };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' && pgSkip !== null ? pgSkip : false;
  describe(`ephemera API on ${kind}`, { skip }, () => {
    let archive: TestArchive;
    let app: FastifyInstance;
    before(async () => {
      archive = await createArchive(kind, COUNT);
      app = await archive.app();
    });
    after(async () => archive?.cleanup());

    test("the story's request: one item, every relation expanded, image size 2, view recorded", async () => {
      const { status, body } = await get(app, '/api/ephemera/137/?img=2&expand=~all&referrer=/ephemera/137/');
      assert.equal(status, 200);
      assert.equal(body.id, 137);
      assert.match(String(body.title), /, /);
      assert.deepEqual(Object.keys(body.sender as Body).sort(), [
        'birth_year',
        'first_name',
        'full_name',
        'id',
        'last_name',
      ]);
      assert.ok(Array.isArray(body.people) && body.people.every((p) => typeof p === 'object'));
      assert.equal((body.front as Body).url, '/media/ephemera/137/front-800.jpg');
      assert.equal((body.collection as Body).source, 'ebay');
      const views = await archive.query('SELECT referrer FROM ephemeron_view WHERE ephemeron_id = 137');
      assert.deepEqual(
        views.map((v) => v.referrer),
        ['/ephemera/137/'],
      );
      const again = await get(app, '/api/ephemera/137/?referrer=/search?q=x');
      assert.equal(again.status, 200);
      assert.equal(typeof again.body.sender, 'number', 'unexpanded relations are ids');
      assert.ok((again.body.tags as unknown[]).every((t) => typeof t === 'number'));
    });

    test('fields and omit select the fields; expand names some relations', async () => {
      const only = await get(app, '/api/ephemera/5/?fields=id,title,sender&expand=sender');
      assert.deepEqual(Object.keys(only.body).sort(), ['id', 'sender', 'title']);
      assert.equal(typeof only.body.sender, 'object');
      const omitted = await get(app, '/api/ephemera/5/?omit=transcription,front,back');
      assert.equal(omitted.status, 200);
      assert.ok(!('transcription' in omitted.body) && 'title' in omitted.body);
    });

    test('unknown id is a 404 JSON; malformed ids are a 400 naming `id`', async () => {
      const missing = await get(app, '/api/ephemera/999999/');
      assert.equal(missing.status, 404);
      assert.equal(errorOf(missing.body).code, 'not_found');
      for (const bad of ['abc', '0', '-1', '1e3', '12abc', '99999999999', '%27%20OR%201=1']) {
        const { status, body } = await get(app, `/api/ephemera/${bad}/`);
        assert.equal(status, 400, bad);
        assert.equal(errorOf(body).parameter, 'id', bad);
      }
    });

    test('unknown expand / fields / omit names, bad img and page_size are 400s naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['/api/ephemera/1/?expand=sender,nonsense', 'expand'],
        ['/api/ephemera/1/?fields=id,password', 'fields'],
        ['/api/ephemera/1/?omit=id;DROP TABLE ephemeron', 'omit'],
        ['/api/ephemera/1/?img=9', 'img'],
        ['/api/ephemera/?page_size=0', 'page_size'],
        ['/api/ephemera/?page_size=101', 'page_size'],
        ['/api/ephemera/?person=1%20OR%201=1', 'person'],
        ['/api/ephemera/?year=19o8', 'year'],
      ];
      for (const [url, parameter] of cases) {
        const { status, body } = await get(app, url);
        assert.equal(status, 400, url);
        assert.equal(errorOf(body).parameter, parameter, url);
        assert.match(errorOf(body).message, new RegExp(`^${parameter}:`));
      }
    });

    test('search finds a surname in transcriptions, with a total and pages', async () => {
      const item = await get(app, '/api/ephemera/42/?expand=sender');
      const surname = String((item.body.sender as Body).last_name);
      const first = await get(app, `/api/ephemera/?q=${encodeURIComponent(surname)}&page_size=5`);
      assert.equal(first.status, 200);
      const count = Number(first.body.count);
      assert.ok(count >= 1);
      const results = first.body.results as Body[];
      assert.ok(results.length === Math.min(5, count));
      for (const result of results) assert.match(`${result.title} ${result.transcription}`, new RegExp(surname));
      const everything = await get(app, `/api/ephemera/?q=${encodeURIComponent(surname)}&page_size=100`);
      const ids = (everything.body.results as Body[]).map((r) => r.id);
      assert.ok(ids.includes(42), 'the sender signs the card, so the card is found');
      const beyond = await get(app, `/api/ephemera/?q=${encodeURIComponent(surname)}&page=999`);
      assert.deepEqual(beyond.body.results, []);
      assert.equal(beyond.body.count, count);
    });

    test('filters: person, collection, year', async () => {
      const item = await get(app, '/api/ephemera/42/');
      const byPerson = await get(app, `/api/ephemera/?person=${item.body.sender}&page_size=100`);
      assert.ok((byPerson.body.results as Body[]).some((r) => r.id === 42));
      const all = await get(app, '/api/ephemera/?collection=1&page_size=100');
      assert.equal(all.body.count, COUNT, 'all test items are in collection 1');
      if (item.body.postmark_date) {
        const year = String(item.body.postmark_date).slice(0, 4);
        const byYear = await get(app, `/api/ephemera/?year=${year}&page_size=100`);
        assert.ok((byYear.body.results as Body[]).every((r) => String(r.postmark_date).startsWith(year)));
      }
    });

    test('SQL injection attempts in text parameters are plain text', async () => {
      for (const q of ["' OR 1=1 --", '"; DROP TABLE ephemeron; --', 'NEAR(title transcription)', 'title:*', '*']) {
        const { status, body } = await get(app, `/api/ephemera/?q=${encodeURIComponent(q)}`);
        assert.equal(status, 200, q);
        assert.ok(Number(body.count) < COUNT, `"${q}" must not match everything`);
      }
      const referrer = "x'); DELETE FROM ephemeron; --";
      const viewed = await get(app, `/api/ephemera/7/?referrer=${encodeURIComponent(referrer)}`);
      assert.equal(viewed.status, 200);
      const total = await get(app, '/api/ephemera/?page_size=1');
      assert.equal(total.body.count, COUNT, 'nothing was deleted');
    });

    test('collections, people and places have their own endpoints', async () => {
      const collection = await get(app, '/api/collections/1/');
      assert.equal(collection.status, 200);
      assert.equal(collection.body.ephemera_count, COUNT);
      assert.equal((await get(app, '/api/people/1/')).status, 200);
      assert.equal((await get(app, '/api/places/1/')).body.id, 1);
      assert.equal((await get(app, '/api/places/99999/')).status, 404);
      assert.equal((await get(app, '/healthz')).body.status, 'ok');
      assert.equal((await get(app, '/api/nothing-here')).status, 404);
    });
  });
}
