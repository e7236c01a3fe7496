// Performance budgets on the story request, measured in this test's own
// process with culprit/budget (the forms a user's test suite would use): the
// story's leftover debug code fails each of them, the clean code passes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertQuerySnapshot, assertScales, assertStaysWithin, measure } from 'culprit/budget';
import { createArchive, type TestArchive } from '../test-support/archive.js';

const STORY_URL = '/api/ephemera/5/?img=2&expand=~all&referrer=/ephemera/5/';
/** No N+1, a few rows per item answered, a handful of postcards built: no total guessed from the data. */
const BUDGET = { repeatedQueries: 1, maxRowsPerItem: 20, constructions: { Ephemeron: 5 } };

async function storyRequest(archive: TestArchive, incident: boolean) {
  const app = await archive.app({ incident });
  await app.inject(STORY_URL); // warm-up: first-request set-up is not the request's cost
  return measure(() => app.inject(STORY_URL), { label: `GET ${STORY_URL}`, constructions: true });
}

const SUITE = 'budgets on the story request (culprit/budget, in-process)';

describe(SUITE, () => {
  let archive: TestArchive;
  before(async () => {
    archive = await createArchive('sqlite', 60);
  });
  after(async () => archive?.cleanup());

  test('clean: within the budget', async () => {
    const measured = await storyRequest(archive, false);
    assert.equal(measured.value.statusCode, 200);
    assertStaysWithin(measured, BUDGET);
  });

  test('incident: over the budget, naming the query that read the whole table', async () => {
    const measured = await storyRequest(archive, true);
    assert.throws(
      () => assertStaysWithin(measured, BUDGET),
      (error: Error) => {
        assert.match(error.message, /rows per item \(1 item\): 7\d \(budget 20\)/);
        assert.match(error.message, /Ephemeron constructions: 6\d \(budget 5\) at .*db\/entities\.ts:\d+/);
        assert.match(error.message, /largest query: 60 rows from .*api\/queryset\.ts:62/);
        return true;
      },
    );
  });

  test('clean: the story request matches its query snapshot', async (t) => {
    assertQuerySnapshot(await storyRequest(archive, false), t);
  });

  test('incident: the snapshot diff shows the query it added', async () => {
    const measured = await storyRequest(archive, true);
    assert.throws(
      // the clean test's block; update: false so CULPRIT_UPDATE_SNAPSHOTS=1 never records the incident
      () =>
        assertQuerySnapshot(measured, `${SUITE} > clean: the story request matches its query snapshot`, {
          update: false,
        }),
      /\n\+ queryset\.ts:62 {2}1× {2}rows 10-99 {2}SELECT "ephemeron"/,
    );
  });
});

describe('scaling of the story request with the archive size (assertScales)', () => {
  let archive: TestArchive | undefined;
  after(async () => archive?.cleanup());

  const scales = (incident: boolean) => {
    let app: Awaited<ReturnType<TestArchive['app']>>;
    return assertScales({
      label: `GET ${STORY_URL}`,
      sizes: [20, 60],
      seed: async (n) => {
        await archive?.cleanup(); // one archive (and data source) open at a time, as in production
        archive = await createArchive('sqlite', n);
        app = await archive.app({ incident });
      },
      request: () => app.inject(STORY_URL),
    });
  };

  test('clean: queries, rows and constructions stay the same at 20 and 60 postcards', async () => {
    await scales(false);
  });

  test('incident: rows and constructions grow with the archive, and the message names queryset.ts:62', async () => {
    await assert.rejects(scales(true), (error: Error) => {
      assert.match(error.message, /rows grow with n \(allowed O\(1\)\): n=20: \d+, n=60: \d+/);
      assert.match(error.message, /grew most at .*api\/queryset\.ts:62: 20 → 60/);
      assert.match(error.message, /constructions grow with n/);
      assert.doesNotMatch(error.message, /queries grow/, 'one query more, whatever the size: not growth');
      return true;
    });
  });
});
